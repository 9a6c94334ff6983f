package org.dataversebackup.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.dataversebackup.text.Quantities;

/**
 * The table that ends backup, verify (and, with its own counts, restore): one row per table
 * with rows, bytes, time and result, then the totals.
 */
final class SummaryTable {
    private static final String FORMAT = "%-36s %12s %15s %10s  %s%n";

    private record Row(String table, long rows, Long bytes, Double seconds, String result) {
    }

    private final List<Row> rows = new ArrayList<>();

    /** @param bytes null when not known; @param seconds null when not measured per table */
    void add(String table, long rowCount, Long bytes, Double seconds, String result) {
        rows.add(new Row(table, rowCount, bytes, seconds, result));
    }

    void print(PrintStream out, Double totalSeconds, String totalResult) {
        out.printf(FORMAT, "TABLE", "ROWS", "BYTES", "TIME", "RESULT");
        for (Row row : rows) {
            out.printf(FORMAT, row.table(), Quantities.number(row.rows()), bytes(row.bytes()), time(row.seconds()), row.result());
        }
        long totalRows = rows.stream().mapToLong(Row::rows).sum();
        boolean bytesKnown = rows.stream().allMatch(r -> r.bytes() != null);
        out.printf(FORMAT, "total (" + Quantities.count(rows.size(), "table") + ")", Quantities.number(totalRows),
                bytesKnown ? Quantities.number(rows.stream().mapToLong(Row::bytes).sum()) : "-", time(totalSeconds), totalResult);
    }

    private static String bytes(Long bytes) {
        return bytes == null ? "-" : Quantities.number(bytes);
    }

    private static String time(Double seconds) {
        return seconds == null ? "-" : Quantities.duration(seconds);
    }
}
