package org.dataversebackup.app;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.RuntimeCamelException;

/**
 * Turns Camel's startup exceptions into one line a user can act on. A missing property or a
 * broken route file is a configuration problem (exit 2), not a failed job.
 */
final class StartupFailures {
    private static final Pattern MISSING_PROPERTY = Pattern.compile("Property with key \\[([^\\]]+)\\] not found");
    /** Where snakeyaml (and Camel's YAML DSL) point in a file: " in file:/x/y.camel.yaml, line 7, column 8:". */
    private static final Pattern YAML_MARK = Pattern.compile("^ in (?:file:|classpath:)?(.+?), line (\\d+), column (\\d+):$");

    private StartupFailures() {
    }

    static RuntimeException explain(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException ce) {
                return ce;
            }
            String message = String.valueOf(t.getMessage());
            Matcher missing = MISSING_PROPERTY.matcher(message);
            if (t instanceof IllegalArgumentException && missing.find()) {
                String key = missing.group(1);
                return new ConfigurationException("Setting '" + key + "' is not set, and a route needs it: set it in"
                        + " config/application.properties, as -D" + key + "=... or as the environment variable "
                        + Settings.environmentVariable(key) + ".", e);
            }
            if (t instanceof PropertyBindingException) {
                return new ConfigurationException("Invalid setting: " + message, e);
            }
            if (t.getClass().getName().startsWith("org.apache.camel.dsl.yaml") || t.getClass().getName().startsWith("org.snakeyaml")
                    || message.contains("Cannot load routes")) {
                return new ConfigurationException(routeFileProblem(message), e);
            }
        }
        return e instanceof RuntimeException re ? re : new RuntimeCamelException(e);
    }

    /**
     * A YAML error in one line: the file and line of the problem, what is wrong, and the line of
     * its context. The parser's message spreads this over several lines, each text followed by
     * the place it is about and an excerpt of the file.
     */
    static String routeFileProblem(String message) {
        record Marked(String text, String file, String line) {
        }
        List<Marked> marked = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        boolean inExcerpt = false;
        for (String text : message.split("\\R")) {
            Matcher mark = YAML_MARK.matcher(text);
            if (mark.matches()) {
                marked.add(new Marked(pending.toString().strip(), mark.group(1), mark.group(2)));
                pending.setLength(0);
                inExcerpt = true;
            } else if (inExcerpt && (text.startsWith(" ") || text.isBlank())) {
                continue; // the excerpt of the file and the caret under the column
            } else {
                inExcerpt = false;
                pending.append(' ').append(text.strip());
            }
        }
        if (marked.isEmpty()) {
            return "A route file cannot be loaded: " + pending.toString().strip();
        }
        Marked problem = marked.get(marked.size() - 1);
        String text = (problem.text() + pending).strip();
        String context = marked.size() > 1 && !marked.get(0).text().isEmpty()
                ? " (" + marked.get(0).text() + " from line " + marked.get(0).line() + ")" : "";
        return "Route file " + problem.file() + ", line " + problem.line() + ": " + text + context
                + ". Fix the file, or give another routes folder with --routes.";
    }
}
