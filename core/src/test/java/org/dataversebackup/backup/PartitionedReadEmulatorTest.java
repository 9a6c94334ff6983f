package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;

import org.dataversebackup.auth.AuthMode;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.auth.DataverseTokenProvider;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.GuidOrder;
import org.dataversebackup.dataverse.PagedRecords;
import org.dataversebackup.dataverse.RetryPolicy;
import org.dataversebackup.dataverse.TlsSettings;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.EmulatorState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Key ranges read over HTTP from the emulator: the union of the ranges, each read with its
 * {@code $filter} and paged with nextLink, is exactly a single read of the table, for sequential
 * and random GUIDs alike, and rows inserted or deleted during the read land where the docs say.
 */
class PartitionedReadEmulatorTest {
    private static final int ROWS = 1_200;
    private static final int PAGE = 100;

    private DataverseEmulator emulator;
    private DataverseClient client;

    @BeforeEach
    void start() {
        emulator = DataverseEmulator.builder().state(EmulatorState.standard()).start();
        // the environment's own trust (dataverse.tls.*), nothing JVM-wide: the JVM's default TLS context is made once
        TlsSettings tls = TlsSettings.of(emulator.trustStore(), emulator.trustStorePassword(), TlsSettings.DEFAULT_TYPE);
        DataverseTokenProvider tokens = DataverseTokenProvider.create(AuthSettings.builder().mode(AuthMode.CLIENT_SECRET)
                .dataverseUrl(emulator.environmentUrl()).authority(emulator.authority())
                .clientId(EmulatorIdentities.APP_CLIENT_ID).clientSecret(EmulatorIdentities.APP_CLIENT_SECRET).tls(tls).build());
        client = new DataverseClient(java.net.URI.create(emulator.environmentUrl()), "9.2", tokens, RetryPolicy.defaults(),
                Duration.ofSeconds(30), false, emulator.clientSslContext());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private void seed(IntFunction<UUID> key) {
        for (UUID id : emulator.state().ids("account")) {
            emulator.state().deleteRow("account", id);
        }
        for (int i = 0; i < ROWS; i++) {
            insert(key.apply(i), "Account " + i);
        }
    }

    private void insert(UUID id, String name) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("accountid", id.toString());
        row.put("name", name);
        emulator.state().putRow("account", row);
    }

    private static UUID sequential(int i) {
        // as NEWSEQUENTIALID: the rows share the last six bytes, which SQL Server compares first
        return UUID.fromString(String.format("%08x-a1b2-11ef-8000-00155d4e0000", 0x10000 + i));
    }

    private static IntFunction<UUID> random(long seed) {
        Random random = new Random(seed);
        return i -> new UUID(random.nextLong(), random.nextLong());
    }

    private List<String> read(String filter) {
        String query = "accounts?$select=accountid,name&$orderby=accountid asc" + (filter == null ? "" : "&$filter=" + filter);
        PagedRecords records = new PagedRecords(client, query.replace(" ", "%20"),
                Map.of("Prefer", PagedRecords.prefer(PAGE, null)), page -> { });
        List<String> rows = new ArrayList<>();
        records.forEachRemaining(r -> rows.add(new String(r, StandardCharsets.UTF_8)));
        return rows;
    }

    private List<KeyRange> ranges(int partitions) {
        KeySpan span = KeySpan.of(client, "accounts", "accountid").orElseThrow();
        return KeyRanges.between(span.lowest(), span.highest(), partitions); // refuses extremes out of SQL Server's order
    }

    /** Every key of the table in the order the server sorts them. */
    private List<UUID> keys() {
        return read(null).stream().map(r -> UUID.fromString(r.replaceAll(".*\"accountid\":\"([0-9a-f-]+)\".*", "$1")))
                .toList();
    }

    private void assertRangesGiveTheSingleRead() {
        List<String> whole = read(null);
        assertThat(whole).hasSize(ROWS);
        List<KeyRange> ranges = ranges(4);
        assertThat(ranges).hasSize(4);
        List<String> union = new ArrayList<>();
        for (KeyRange range : ranges) {
            List<String> rows = read(range.filter("accountid"));
            assertThat(rows.size()).as("rows of %s", range).isBetween(ROWS / 4 - 50, ROWS / 4 + 50);
            union.addAll(rows);
        }
        assertThat(union).containsExactlyElementsOf(whole);
    }

    @Test
    void rangesOfSequentialGuidsGiveExactlyTheRowsOfASingleRead() {
        seed(PartitionedReadEmulatorTest::sequential);
        assertRangesGiveTheSingleRead();
    }

    @Test
    void rangesOfRandomGuidsGiveExactlyTheRowsOfASingleRead() {
        seed(random(13));
        assertRangesGiveTheSingleRead();
    }

    @Test
    void theSpanIsTheSmallestAndLargestKeyAndEmptyForAnEmptyTable() {
        seed(random(9));
        List<UUID> keys = keys();
        assertThat(KeySpan.of(client, "accounts", "accountid"))
                .contains(new KeySpan(keys.get(0), keys.get(keys.size() - 1)));
        keys.forEach(id -> emulator.state().deleteRow("account", id));
        assertThat(KeySpan.of(client, "accounts", "accountid")).isEmpty();
    }

    @Test
    void theEmulatorSortsKeysInSqlServerOrder() {
        seed(random(7));
        List<UUID> keys = keys();
        List<UUID> sorted = new ArrayList<>(keys);
        sorted.sort(GuidOrder.SQL_SERVER);
        assertThat(keys).hasSize(ROWS).containsExactlyElementsOf(sorted);
    }

    @Test
    void rowsChangedDuringTheReadCountInTheRangesNotYetRead() {
        seed(random(21));
        List<KeyRange> ranges = ranges(4);
        List<String> union = new ArrayList<>(read(ranges.get(0).filter("accountid")));
        KeyRange done = ranges.get(0);
        KeyRange later = ranges.get(3);
        List<UUID> keys = keys();
        UUID deletedRead = keys.stream().filter(done::contains).findFirst().orElseThrow();
        UUID deletedLater = keys.stream().filter(later::contains).findFirst().orElseThrow();
        emulator.state().deleteRow("account", deletedRead);
        emulator.state().deleteRow("account", deletedLater);
        Random random = new Random(5);
        UUID insertedRead = null;
        UUID insertedLater = null;
        while (insertedRead == null || insertedLater == null) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            if (insertedRead == null && done.contains(id)) {
                insertedRead = id;
            } else if (insertedLater == null && later.contains(id)) {
                insertedLater = id;
            }
        }
        insert(insertedRead, "Inserted into a range already read");
        insert(insertedLater, "Inserted into a range not yet read");
        for (KeyRange range : ranges.subList(1, ranges.size())) {
            union.addAll(read(range.filter("accountid")));
        }
        String all = String.join("\n", union);
        // a range is the table's state when it was read: as a single read's pages are
        assertThat(all).contains(deletedRead.toString()).doesNotContain(deletedLater.toString())
                .doesNotContain(insertedRead.toString()).contains(insertedLater.toString());
        assertThat(union).hasSize(ROWS).doesNotHaveDuplicates();
        assertThat(emulator.state().count("account")).isEqualTo(ROWS);
    }
}
