package org.dataversebackup.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Numbers as people read them in logs and summaries: thousands separators, singular or plural. */
public final class Quantities {
    private Quantities() {
    }

    /** {@code 1 record}, {@code 12,345 records}. */
    public static String count(long n, String singular) {
        return number(n) + " " + (n == 1 ? singular : singular + "s");
    }

    /** {@code 12,345}. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 0.4 s}, {@code 12.0 s}, {@code 3 min 5 s}, {@code 2 h 10 min}. */
    public static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        return whole < 3600 ? whole / 60 + " min " + whole % 60 + " s" : whole / 3600 + " h " + whole % 3600 / 60 + " min";
    }

    /**
     * The counts of a report as a phrase: {@code 1,500 selected, 3 created, 1,497 unchanged}.
     * Entries that are not whole numbers, those in {@code leaveOut}, and zeros (except those in
     * {@code alwaysShown}) are left out; camelCase keys become words ({@code toCreate}: to create).
     */
    public static String counts(Map<String, ?> report, Set<String> leaveOut, Set<String> alwaysShown) {
        List<String> parts = new ArrayList<>();
        report.forEach((key, value) -> {
            if (leaveOut.contains(key) || !(value instanceof Long || value instanceof Integer)) {
                return;
            }
            long n = ((Number) value).longValue();
            if (n != 0 || alwaysShown.contains(key)) {
                parts.add(number(n) + " " + key.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT));
            }
        });
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }
}
