package org.dataversebackup.backup;

import org.dataversebackup.config.ConfigurationException;

/**
 * How many key ranges a table is read in at once ({@code backup.partitions}): {@code auto}, or a
 * whole number that forces it (1 reads every table page after page, as a single reader).
 * {@code auto} gives one range per {@value #ROWS_PER_PARTITION} rows Dataverse counts for the table
 * (RetrieveTotalRecordCount), at most as many as the backup's readers (the {@code x-ms-dop-hint},
 * capped, or {@code backup.parallelism}), and 1 for a table it does not count: below ten pages per
 * reader, the two requests that find the key span and the parallelism do not pay.
 */
public final class Partitioning {
    public static final String AUTO = "auto";
    static final long ROWS_PER_PARTITION = 50_000;
    /** More ranges than Dataverse's 52 concurrent requests per user only queue. */
    static final int MAX_PARTITIONS = 52;

    /** The forced number, or 0 for {@code auto}. */
    private final int forced;

    private Partitioning(int forced) {
        this.forced = forced;
    }

    /** {@code backup.partitions}: {@code auto} (or empty) or 1 to {@value #MAX_PARTITIONS}. */
    public static Partitioning parse(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase(AUTO)) {
            return new Partitioning(0);
        }
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 1 || number > MAX_PARTITIONS) {
            throw new ConfigurationException("backup.partitions is '" + value + "': it is auto or a whole number from 1 to "
                    + MAX_PARTITIONS + " (1 reads each table page after page).");
        }
        return new Partitioning(number);
    }

    /**
     * @param expectedRows the rows Dataverse counts for the table, or a negative number when not known
     * @param readers      how many ranges the backup reads at once
     */
    public int partitions(long expectedRows, int readers) {
        if (forced > 0) {
            return forced;
        }
        if (expectedRows < 2 * ROWS_PER_PARTITION) {
            return 1;
        }
        return (int) Math.max(1, Math.min(Math.min(readers, MAX_PARTITIONS), expectedRows / ROWS_PER_PARTITION));
    }

    @Override
    public String toString() {
        return forced > 0 ? String.valueOf(forced) : AUTO;
    }
}
