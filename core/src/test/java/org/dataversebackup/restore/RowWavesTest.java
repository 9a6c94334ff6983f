package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Parents before children, every row once, cycles and missing parents in the last wave. */
class RowWavesTest {
    @TempDir
    Path dir;

    /** A GUID per row name (the indexes hold GUIDs). */
    private static String id(char name) {
        return String.format("00000000-0000-4000-8000-%012x", (int) name);
    }

    private static String name(String id) {
        return String.valueOf((char) Integer.parseInt(id.substring(id.lastIndexOf('-') + 1), 16));
    }

    private static ObjectNode row(char name, Character parent) {
        ObjectNode row = RestoreJson.MAPPER.createObjectNode();
        row.put("accountid", id(name));
        if (parent != null) {
            row.put("_parentaccountid_value", id(parent));
        }
        return row;
    }

    /** The waves and the rows each handed out, every row marked written as it is handed out (unless it "fails"). */
    private Map<Integer, List<String>> run(List<JsonNode> rows, String failing) {
        RowWaves waves = RowWaves.of(dir.resolve("waves"), rows::iterator,
                r -> r.hasNonNull("_parentaccountid_value") ? List.of(r.get("_parentaccountid_value").asText()) : List.of(),
                r -> r.get("accountid").asText());
        Map<Integer, List<String>> handedOut = new TreeMap<>();
        for (Iterator<Integer> numbers = waves.waves(); numbers.hasNext();) {
            int wave = numbers.next();
            List<String> names = new ArrayList<>();
            for (Iterator<JsonNode> records = waves.records(); records.hasNext();) {
                String id = records.next().get("accountid").asText();
                names.add(name(id));
                if (!id.equals(failing)) {
                    waves.written(id);
                }
            }
            if (!names.isEmpty()) {
                handedOut.put(wave, names);
            }
        }
        waves.close();
        return handedOut;
    }

    @Test
    void parentsComeInEarlierWavesWhateverTheirPlaceInTheSnapshot() {
        // c's parent b and b's parent a come after it; d's parent e too; h's parent is not in the run
        List<JsonNode> rows = List.of(row('c', 'b'), row('d', 'e'), row('b', 'a'), row('a', null), row('e', null), row('h', 'x'));
        Map<Integer, List<String>> waves = run(rows, null);
        assertThat(waves).containsExactly(Map.entry(0, List.of("a", "e", "h")), Map.entry(1, List.of("d", "b")),
                Map.entry(2, List.of("c")));
    }

    @Test
    void rowsThatWaitForEachOtherAndChildrenOfAFailedRowGoLastAndOnce() {
        List<JsonNode> rows = List.of(row('f', 'a'), row('a', null), row('b', 'c'), row('c', 'b'), row('d', 'f'));
        Map<Integer, List<String>> waves = run(rows, id('f')); // f is handed out but not written (it failed)
        assertThat(waves.get(0)).containsExactly("a");
        assertThat(waves.get(1)).containsExactly("f");
        // b and c point to each other, d to the failed f: nothing is ever ready, so they all go in the next
        // wave, the last one (no empty waves until the eighth)
        assertThat(waves).hasSize(3);
        assertThat(waves.get(2)).containsExactlyInAnyOrder("b", "c", "d");
        assertThat(waves.values().stream().mapToInt(List::size).sum()).isEqualTo(rows.size());
    }

    @Test
    void aHierarchyDeeperThanTheWavesEndsInTheLastWave() {
        List<JsonNode> rows = new ArrayList<>();
        char[] names = "abcdefghijk".toCharArray(); // a chain of 11: a <- b <- c ...
        for (int i = names.length - 1; i >= 0; i--) {
            rows.add(row(names[i], i == 0 ? null : names[i - 1]));
        }
        Map<Integer, List<String>> waves = run(rows, null);
        for (int wave = 0; wave < RowWaves.MAX_WAVES; wave++) {
            assertThat(waves.get(wave)).as("wave " + wave).containsExactly(String.valueOf(names[wave]));
        }
        assertThat(waves.get(RowWaves.MAX_WAVES)).containsExactly("k", "j", "i");
    }
}
