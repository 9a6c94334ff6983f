package org.dataversebackup.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one validation of what a job is narrowed to (tables, primary keys, a filter), shared by the
 * command line, {@code direct:} and {@code dataverse:} requests and inbox request files.
 *
 * <p>Not given means "the configured default" (every table, every row). Given but naming nothing
 * ({@code ""}, {@code ","}, {@code " "}, {@code []}) is an error, never "everything": a restore
 * that writes more than was asked for is the worst thing a backup tool can do.
 */
public final class Selection {

    private Selection() {
    }

    /**
     * The items of a comma- or space-separated value.
     *
     * @param value   the value as given; {@code null} = not given
     * @param source  where it was given, for the error ({@code --tables}, {@code header DataverseRestoreTables}, ...)
     * @param example what a valid value looks like, for the error
     * @return empty when not given, else the non-blank items
     * @throws ConfigurationException when given but naming nothing
     */
    public static Optional<List<String>> parse(String value, String source, String example) {
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(require(split(value), source, example));
    }

    /** The items of a list that was given (a JSON array, say): blank items dropped, none left is an error. */
    public static List<String> require(Collection<String> items, String source, String example) {
        List<String> kept = new ArrayList<>();
        for (String item : items) {
            if (item != null && !item.isBlank()) {
                kept.add(item.trim());
            }
        }
        if (kept.isEmpty()) {
            throw new ConfigurationException(source + " is empty: name at least one (" + example
                    + "), or leave it out to take the default. An empty selection never means everything.");
        }
        return List.copyOf(kept);
    }

    /** A single-valued selection (a filter expression): not given = empty, given but blank is an error. */
    public static Optional<String> parseText(String value, String source, String example) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw new ConfigurationException(source + " is empty: give an expression (" + example
                    + "), or leave it out to select every row. An empty selection never means everything.");
        }
        return Optional.of(value.trim());
    }

    /** Comma- or space-separated items, blanks removed (no validation: for configuration defaults). */
    public static List<String> split(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
