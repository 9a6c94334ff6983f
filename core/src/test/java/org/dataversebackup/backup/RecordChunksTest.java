package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class RecordChunksTest {

    private static Iterator<byte[]> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> new byte[] {(byte) i}).iterator();
    }

    private static List<Integer> sizes(RecordChunks chunks) {
        List<Integer> sizes = new ArrayList<>();
        while (chunks.hasNext()) {
            Iterator<byte[]> chunk = chunks.next();
            int n = 0;
            while (chunk.hasNext()) {
                chunk.next();
                n++;
            }
            sizes.add(n);
        }
        return sizes;
    }

    @Test
    void cutsIntoFullChunksAndARest() {
        assertThat(sizes(new RecordChunks(records(25), 10))).containsExactly(10, 10, 5);
        assertThat(sizes(new RecordChunks(records(20), 10))).containsExactly(10, 10);
        assertThat(sizes(new RecordChunks(records(0), 10))).isEmpty();
    }

    @Test
    void aChunkMustBeConsumedBeforeTheNext() {
        RecordChunks chunks = new RecordChunks(records(25), 10);
        chunks.next().next();
        assertThatThrownBy(chunks::hasNext).isInstanceOf(IllegalStateException.class);
    }
}
