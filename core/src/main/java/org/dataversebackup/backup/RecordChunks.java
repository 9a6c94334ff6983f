package org.dataversebackup.backup;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Cuts a stream of records into consecutive chunks of at most {@code chunkSize} records, lazily:
 * each chunk reads from the same underlying iterator, so nothing is held beyond the current page.
 * A chunk must be consumed before the next one is asked for (a streaming split does exactly that).
 */
public final class RecordChunks implements Iterator<Iterator<byte[]>> {
    private final Iterator<byte[]> records;
    private final int chunkSize;
    private Chunk current;

    public RecordChunks(Iterator<byte[]> records, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1");
        }
        this.records = records;
        this.chunkSize = chunkSize;
    }

    @Override
    public boolean hasNext() {
        if (current != null && current.remaining > 0 && current.hasNext()) {
            throw new IllegalStateException("the previous chunk was not consumed");
        }
        return records.hasNext();
    }

    @Override
    public Iterator<byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        current = new Chunk();
        return current;
    }

    private final class Chunk implements Iterator<byte[]> {
        private int remaining = chunkSize;

        @Override
        public boolean hasNext() {
            return remaining > 0 && records.hasNext();
        }

        @Override
        public byte[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            remaining--;
            return records.next();
        }
    }
}
