package org.dataversebackup.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import org.dataversebackup.text.Quantities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of long reads: per table, at most one line per interval with the records so far, the
 * rate and the elapsed time; and the summary at the end of a snapshot.
 */
public class BackupProgress {
    private static final Logger LOG = LoggerFactory.getLogger(BackupProgress.class);

    private final Duration interval;
    private final Map<SnapshotRun.TableState, Instant> lastReport = new ConcurrentHashMap<>();

    public BackupProgress(Duration interval) {
        this.interval = interval;
    }

    /** Called for every page read. */
    public void pageRead(SnapshotRun.TableState table, int records, long jsonBytes) {
        long total = table.addRecordsRead(records, jsonBytes);
        Instant now = Instant.now();
        if (due(table, now)) {
            Duration elapsed = table.elapsed();
            long rate = rate(total, elapsed);
            long expected = table.expectedRecords();
            if (expected > total && rate > 0) {
                // Dataverse's count is an estimate: "about", and never below what was read
                LOG.info("{}: {} of about {} records read ({}%), {}/s, {} s, about {} left", table.scope().logicalName(),
                        format(total), format(expected), total * 100 / expected, format(rate), elapsed.toSeconds(),
                        Quantities.duration((double) (expected - total) / rate));
            } else {
                LOG.info("{}: {} records read, {}/s, {} s", table.scope().logicalName(), format(total), format(rate),
                        elapsed.toSeconds());
            }
        }
    }

    /** Whether a line is due; the key ranges of a table report together, so only one of them takes it. */
    private boolean due(SnapshotRun.TableState table, Instant now) {
        boolean[] due = {false};
        lastReport.compute(table, (t, last) -> {
            Instant since = last != null ? last : t.startedAt();
            due[0] = since != null && Duration.between(since, now).compareTo(interval) >= 0;
            return due[0] ? now : last;
        });
        return due[0];
    }

    public void tableCompleted(SnapshotRun.TableState table) {
        lastReport.remove(table);
        Duration elapsed = table.elapsed();
        LOG.info("{}: done, {} in {}, {}, {} ({} records/s)", table.scope().logicalName(),
                Quantities.count(table.recordsInParts(), "record"), Quantities.count(table.toManifest().parts().size(), "part"),
                Quantities.count(table.bytesInParts(), "byte"), Quantities.duration(elapsed.toMillis() / 1000.0),
                format(rate(table.recordsInParts(), elapsed)));
    }

    static long rate(long records, Duration elapsed) {
        return elapsed.toMillis() == 0 ? records : records * 1000 / elapsed.toMillis();
    }

    static String format(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
