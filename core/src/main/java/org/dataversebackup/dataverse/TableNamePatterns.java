package org.dataversebackup.dataverse;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Table name patterns of settings such as {@code backup.exclude}: {@code *} matches any characters, case ignored. */
public final class TableNamePatterns {
    private TableNamePatterns() {
    }

    public static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String piece : pattern.trim().toLowerCase(Locale.ROOT).split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(piece));
        }
        return Pattern.compile(regex.toString());
    }

    /** Whether a logical name matches any of the patterns. */
    public static boolean matchesAny(List<String> patterns, String logicalName) {
        String name = logicalName.toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(p -> glob(p).matcher(name).matches());
    }
}
