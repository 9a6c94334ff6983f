package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.backup.KeyRange;
import org.dataversebackup.backup.KeyRanges;
import org.dataversebackup.dataverse.GuidOrder;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Partitioned reads of one table ({@code backup.partitions}) through the backup routes, against the
 * emulator over HTTP: the snapshot holds exactly the rows of a single read (content compared, no row
 * twice) for random and sequential GUIDs, rows changed during the read land as the ranges not yet
 * read see them, and a partitioned snapshot verifies, restores and starts a chain of incrementals.
 */
class PartitionedBackupTest {
    private static final Map<String, String> SMALL_PAGES = Map.of("backup.page-size", "10", "backup.chunk-records", "20");

    @TempDir
    Path dir;

    private CamelApplication app(DataverseEmulator emulator, String name, String partitions, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(SMALL_PAGES);
        settings.put("backup.partitions", partitions);
        settings.putAll(more);
        return RestoreEmulator.app(emulator, dir.resolve(name), settings);
    }

    private static Path backup(CamelApplication app, String tables, String kind) {
        Exchange result = app.template().request("dataverse:backup", e -> {
            e.getIn().setHeader(BackupHeaders.TABLES, tables);
            e.getIn().setHeader(BackupHeaders.KIND, kind);
        });
        if (result.getException() != null) {
            throw new IllegalStateException(kind + " backup failed", result.getException());
        }
        return Path.of(result.getMessage().getHeader(BackupHeaders.LOCATION, String.class));
    }

    private static JsonNode table(Path snapshot, String name) throws Exception {
        for (JsonNode table : SnapshotJson.MAPPER.readTree(snapshot.resolve("manifest.json").toFile()).path("tables")) {
            if (table.path("logicalName").asText().equals(name)) {
                return table;
            }
        }
        throw new AssertionError("no table " + name + " in " + snapshot);
    }

    /** The keys of the table's data parts, in the manifest's order of parts, read from the files themselves. */
    private static List<UUID> keys(Path snapshot, String table) throws Exception {
        List<UUID> keys = new ArrayList<>();
        for (JsonNode part : table(snapshot, table).path("parts")) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(snapshot.resolve(part.path("path").asText()))), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    keys.add(UUID.fromString(SnapshotJson.MAPPER.readTree(line).path(table + "id").asText()));
                }
            }
        }
        return keys;
    }

    /** Records per key range, from the part names ({@code part-<range>-<part>}). */
    private static Map<Integer, Integer> recordsPerRange(Path snapshot, String table) throws Exception {
        Map<Integer, Integer> records = new TreeMap<>();
        for (JsonNode part : table(snapshot, table).path("parts")) {
            String path = part.path("path").asText();
            assertThat(path).matches("data/" + table + "/part-\\d{3}-\\d{5}\\.ndjson\\.gz");
            records.merge(Integer.parseInt(path.substring(path.lastIndexOf("part-") + 5, path.lastIndexOf("part-") + 8)),
                    part.path("records").asInt(), Integer::sum);
        }
        return records;
    }

    private static void assertVerifies(Path snapshot) {
        SnapshotVerifier.Report report = new SnapshotVerifier(SnapshotStore.of(SnapshotTarget.parse(snapshot.toString()),
                () -> null)).verify();
        assertThat(report.problems()).as(snapshot.toString()).isEmpty();
        assertThat(report.unlisted()).as(snapshot.toString()).isEmpty();
    }

    private static ObjectNode account(UUID id, String name) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("accountid", id.toString());
        row.put("name", name);
        return row;
    }

    /** As NEWSEQUENTIALID makes them: the keys differ in a narrow part of the most significant bytes. */
    private static UUID sequential(int i) {
        return UUID.fromString(String.format("%08x-a1b2-11ef-8000-00155d%06x", 0x5000 + i, 0x4e0000 + i));
    }

    @Test
    void aPartitionedBackupOfRandomGuidsIsTheSingleReadAndVerifiesRestoresAndStartsAChain() throws Exception {
        DataSetSpec spec = DataSetSpec.sized(200, 1, 3);
        List<String> tables = RestoreEmulator.DATA_TABLES;
        try (DataverseEmulator source = RestoreEmulator.generated(spec);
                CamelApplication partitioned = app(source, "partitioned", "4", Map.of());
                CamelApplication single = app(source, "single", "1", Map.of())) {
            long requestsBefore = source.webApiRequests();
            Path full = backup(partitioned, String.join(",", tables), "full");
            long requestsOfTheFirstFull = source.webApiRequests() - requestsBefore;
            Path reference = backup(single, String.join(",", tables), "full");

            assertThat(SnapshotComparison.differences(reference, full, tables, dir.resolve("compare"))).isEmpty();
            for (String name : tables) {
                assertThat(table(full, name).path("records").asInt()).as(name).isEqualTo(source.state().count(name));
            }
            List<UUID> accounts = keys(full, "account");
            assertThat(accounts).doesNotHaveDuplicates().hasSize(200)
                    .containsExactlyInAnyOrderElementsOf(source.state().ids("account"));
            assertEachRangeInKeyOrder(full, "account");
            Map<Integer, Integer> ranges = recordsPerRange(full, "account");
            assertThat(ranges.keySet()).contains(1, 2, 3, 4);
            assertThat(ranges.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
            assertThat(table(full, "account").path("deltaToken").asText()).as("from the key-only tracked read").isNotBlank();
            assertThat(table(reference, "account").path("parts").get(0).path("path").asText())
                    .isEqualTo("data/account/part-00001.ndjson.gz");
            assertVerifies(full);

            // restored into an empty environment and backed up again: the same rows as the single read
            try (DataverseEmulator target = RestoreEmulator.emptied(spec);
                    CamelApplication restorer = RestoreEmulator.app(target, dir.resolve("target"),
                            Map.of("restore.allowed-snapshot-roots", "file:" + dir))) {
                JsonNode report = RestoreEmulator.report(restorer, Map.of(RestoreHeaders.SNAPSHOT, full.toString()));
                assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
                Path again = Path.of(RestoreEmulator.backup(restorer, String.join(",", tables)));
                assertThat(SnapshotComparison.differences(reference, again, tables, dir.resolve("compare-restored"))).isEmpty();
            }

            // an incremental continues from the partitioned full's token: only the changes
            UUID renamed = accounts.get(7);
            ObjectNode row = source.state().row("account", renamed).orElseThrow();
            row.put("name", "Renamed after the partitioned full");
            source.state().putRow("account", row);
            UUID created = UUID.randomUUID();
            source.state().putRow("account", account(created, "Created after the partitioned full"));
            source.state().deleteRow("account", accounts.get(100));
            Path incremental = backup(partitioned, String.join(",", tables), "incremental");
            JsonNode changes = table(incremental, "account");
            assertThat(changes.path("copy").asText()).isEqualTo("changes");
            assertThat(changes.path("deltaTokenUsed").asText()).isEqualTo(table(full, "account").path("deltaToken").asText());
            assertThat(keys(incremental, "account")).containsExactlyInAnyOrder(renamed, created);
            assertThat(changes.path("deleted").asInt()).isEqualTo(1);
            assertThat(changes.path("parts").get(0).path("path").asText()).as("changes are a single read")
                    .isEqualTo("data/account/part-00001.ndjson.gz");
            assertVerifies(incremental);

            // the next partitioned full takes its token from the changes since the incremental (one page), not
            // from every key of the table; the incremental after it has the change made after it, and only that
            requestsBefore = source.webApiRequests();
            Path secondFull = backup(partitioned, String.join(",", tables), "full");
            assertThat(source.webApiRequests() - requestsBefore).isLessThanOrEqualTo(requestsOfTheFirstFull - 15);
            // nothing changed since the incremental: its token may well be the same (the change version has not moved)
            assertThat(table(secondFull, "account").path("deltaToken").asText()).isNotBlank();
            assertThat(keys(secondFull, "account")).containsExactlyInAnyOrderElementsOf(source.state().ids("account"));
            ObjectNode again = source.state().row("account", created).orElseThrow();
            again.put("name", "Renamed after the second full");
            source.state().putRow("account", again);
            Path afterSecond = backup(partitioned, String.join(",", tables), "incremental");
            assertThat(table(afterSecond, "account").path("deltaTokenUsed").asText())
                    .isEqualTo(table(secondFull, "account").path("deltaToken").asText());
            assertThat(keys(afterSecond, "account")).containsExactly(created);
        }
    }

    @Test
    void aPartitionedBackupOfSequentialGuidsIsTheSingleReadInBalancedRanges() throws Exception {
        try (DataverseEmulator source = RestoreEmulator.generated(DataSetSpec.sized(2, 1, 0));
                CamelApplication partitioned = app(source, "partitioned", "4", Map.of());
                CamelApplication single = app(source, "single", "1", Map.of())) {
            source.state().ids("account").forEach(id -> source.state().deleteRow("account", id));
            for (int i = 0; i < 300; i++) {
                source.state().putRow("account", account(sequential(i), "Imported " + i));
            }
            Path full = backup(partitioned, "account", "full");
            Path reference = backup(single, "account", "full");
            assertThat(SnapshotComparison.differences(reference, full, List.of("account"), dir.resolve("compare"))).isEmpty();
            assertThat(keys(full, "account")).doesNotHaveDuplicates().hasSize(300)
                    .containsExactlyInAnyOrderElementsOf(keys(reference, "account"));
            assertThat(recordsPerRange(full, "account").keySet()).contains(1, 2, 3, 4);
            assertEachRangeInKeyOrder(full, "account");
            // cut between the smallest and the largest key, the sequential keys split evenly
            List<UUID> keys = keys(reference, "account");
            for (KeyRange range : KeyRanges.between(keys.get(0), keys.get(keys.size() - 1), 4)) {
                assertThat(keys.stream().filter(range::contains).count()).as("rows of %s", range).isBetween(60L, 90L);
            }
            assertVerifies(full);
        }
    }

    /**
     * Keys bunched in one range (a bulk import of sequential GUIDs into a table of random ones): the
     * readers done with their own ranges take over parts of the dense one, and the snapshot still
     * holds exactly the rows of a single read.
     */
    @Test
    void keysBunchedInOneRangeAreSplitAmongTheReadersAndStillReadExactlyOnce() throws Exception {
        try (DataverseEmulator source = RestoreEmulator.generated(DataSetSpec.sized(100, 1, 0));
                CamelApplication partitioned = app(source, "partitioned", "4", Map.of("backup.parallelism", "4"));
                CamelApplication single = app(source, "single", "1", Map.of())) {
            for (int i = 0; i < 400; i++) {
                source.state().putRow("account", account(sequential(i), "Imported " + i));
            }
            source.faults().pageLatency(Duration.ofMillis(20));
            Path full = backup(partitioned, "account", "full");
            source.faults().clear();
            Path reference = backup(single, "account", "full");
            assertThat(SnapshotComparison.differences(reference, full, List.of("account"), dir.resolve("compare"))).isEmpty();
            assertThat(keys(full, "account")).doesNotHaveDuplicates().hasSize(500)
                    .containsExactlyInAnyOrderElementsOf(keys(reference, "account"));
            assertThat(recordsPerRange(full, "account").keySet()).as("ranges split off the dense one")
                    .contains(1, 2, 3, 4).hasSizeGreaterThan(4);
            assertEachRangeInKeyOrder(full, "account");
            assertVerifies(full);
        }
    }

    /** The parts of each range, in the order of their names, hold its rows in key order. */
    private static void assertEachRangeInKeyOrder(Path snapshot, String table) throws Exception {
        Map<String, List<UUID>> byRange = new TreeMap<>();
        for (JsonNode part : table(snapshot, table).path("parts")) {
            String path = part.path("path").asText();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(snapshot.resolve(path))), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    byRange.computeIfAbsent(path.substring(0, path.lastIndexOf('-')), r -> new ArrayList<>())
                            .add(UUID.fromString(SnapshotJson.MAPPER.readTree(line).path(table + "id").asText()));
                }
            }
        }
        byRange.forEach((range, keys) -> {
            List<UUID> sorted = new ArrayList<>(keys);
            sorted.sort(GuidOrder.SQL_SERVER);
            assertThat(keys).as(range).containsExactlyElementsOf(sorted);
        });
    }

    /**
     * One range at a time (backup.parallelism=1), so that which ranges are read is known: rows
     * inserted into and deleted from the ranges not yet read are in (and missing from) the snapshot,
     * those of a range already read are not; no row is read twice; and the next incremental, which
     * starts from the token taken before the ranges were read, has every one of these changes.
     */
    @Test
    void rowsChangedDuringAPartitionedReadLandWhereTheRangesSeeThemAndInTheNextIncremental() throws Exception {
        try (DataverseEmulator source = RestoreEmulator.generated(DataSetSpec.sized(120, 1, 0));
                CamelApplication partitioned = app(source, "partitioned", "4",
                        Map.of("backup.parallelism", "1", "backup.page-size", "5", "backup.chunk-records", "5"))) {
            List<UUID> before = new ArrayList<>(source.state().ids("account"));
            before.sort(GuidOrder.SQL_SERVER);
            List<KeyRange> ranges = KeyRanges.between(before.get(0), before.get(before.size() - 1), 4);
            KeyRange first = ranges.get(0);
            KeyRange last = ranges.get(3);
            UUID deletedRead = before.stream().filter(first::contains).findFirst().orElseThrow();
            UUID deletedLater = before.stream().filter(last::contains).findFirst().orElseThrow();
            UUID insertedRead = keyIn(first);
            UUID insertedLater = keyIn(last);

            source.faults().pageLatency(Duration.ofMillis(40));
            Path snapshots = dir.resolve("partitioned").resolve("backups");
            // once the second range's first part is stored, the first range is read and the last is not
            CompletableFuture<Void> changes = CompletableFuture.runAsync(() -> {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!stored(snapshots, "part-002-00001.ndjson.gz")) {
                    if (System.nanoTime() > until) {
                        throw new AssertionError("the second range was never stored");
                    }
                    Thread.onSpinWait();
                }
                source.state().deleteRow("account", deletedRead);
                source.state().deleteRow("account", deletedLater);
                source.state().putRow("account", account(insertedRead, "Inserted into a range already read"));
                source.state().putRow("account", account(insertedLater, "Inserted into a range not yet read"));
            });
            Path full = backup(partitioned, "account", "full");
            changes.get(10, TimeUnit.SECONDS);
            source.faults().clear();

            List<UUID> keys = keys(full, "account");
            assertThat(keys).doesNotHaveDuplicates().contains(deletedRead, insertedLater)
                    .doesNotContain(deletedLater, insertedRead).hasSize(before.size());
            assertThat(table(full, "account").path("records").asInt()).isEqualTo(before.size());

            Path incremental = backup(partitioned, "account", "incremental");
            assertThat(table(incremental, "account").path("copy").asText()).isEqualTo("changes");
            assertThat(keys(incremental, "account")).contains(insertedRead, insertedLater);
            assertThat(deletedIds(incremental, "account")).contains(deletedRead, deletedLater);
        }
    }

    private static UUID keyIn(KeyRange range) {
        java.util.Random random = new java.util.Random(range.index());
        while (true) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            if (range.contains(id)) {
                return id;
            }
        }
    }

    private static boolean stored(Path snapshots, String partName) {
        if (!Files.isDirectory(snapshots)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(snapshots)) {
            return files.anyMatch(f -> f.getFileName().toString().equals(partName));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false; // a file renamed while walked: the next look sees it
        }
    }

    private static List<UUID> deletedIds(Path snapshot, String table) throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (JsonNode part : table(snapshot, table).path("deletedParts")) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(snapshot.resolve(part.path("path").asText()))), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    ids.add(UUID.fromString(SnapshotJson.MAPPER.readTree(line).path("id").asText()));
                }
            }
        }
        return ids;
    }
}
