package org.dataversebackup.cli;

import java.util.Map;
import java.util.OptionalInt;

import picocli.CommandLine;

/**
 * How wide help text is: the {@code COLUMNS} environment variable when a shell exports it (it
 * also lets scripts and tests choose), else the terminal's width as picocli detects it, else
 * picocli's 80 columns. Text is wrapped at word boundaries to that width.
 */
final class HelpWidth {
    /** picocli does not go below this width. */
    static final int MINIMUM = 55;

    private HelpWidth() {
    }

    static void apply(CommandLine commandLine, Map<String, String> environment) {
        OptionalInt columns = columns(environment);
        if (columns.isPresent()) {
            commandLine.setUsageHelpWidth(columns.getAsInt());
        } else {
            commandLine.setUsageHelpAutoWidth(true);
        }
    }

    /** {@code COLUMNS} when it is a number; at least {@value #MINIMUM}. */
    static OptionalInt columns(Map<String, String> environment) {
        String value = environment.get("COLUMNS");
        if (value == null || !value.strip().matches("\\d{1,4}")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Math.max(MINIMUM, Integer.parseInt(value.strip())));
    }
}
