package org.dataversebackup.dataverse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * One page of a Web API collection: its records, each kept byte for byte as Dataverse sent it
 * (no re-serialisation, so decimals, dates and annotations are exactly preserved), and the links
 * to the next page and, under change tracking, the delta link. {@code @odata.context} is dropped.
 *
 * <p>The page keeps the body it was parsed from and the position of each record in it; a record
 * is copied out only when it is asked for, so a page costs its body's size, not twice that.
 */
public final class RecordPage {
    private static final JsonFactory JSON = new JsonFactory();

    private final byte[] body;
    private final int[] starts;
    private final int[] ends;
    private final String nextLink;
    private final String deltaLink;

    private RecordPage(byte[] body, int[] starts, int[] ends, String nextLink, String deltaLink) {
        this.body = body;
        this.starts = starts;
        this.ends = ends;
        this.nextLink = nextLink;
        this.deltaLink = deltaLink;
    }

    public static RecordPage parse(byte[] body) {
        int[] starts = new int[64];
        int[] ends = new int[64];
        int count = 0;
        String nextLink = null;
        String deltaLink = null;
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a Web API collection is a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "value" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new IllegalArgumentException("'value' of a Web API collection is an array");
                        }
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            if (count == starts.length) {
                                starts = Arrays.copyOf(starts, count * 2);
                                ends = Arrays.copyOf(ends, count * 2);
                            }
                            starts[count] = (int) parser.currentTokenLocation().getByteOffset();
                            parser.skipChildren();
                            ends[count] = (int) parser.currentLocation().getByteOffset();
                            count++;
                        }
                    }
                    case "@odata.nextLink" -> nextLink = parser.getValueAsString();
                    case "@odata.deltaLink" -> deltaLink = parser.getValueAsString();
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The page Dataverse returned is not valid JSON: " + e.getMessage(), e);
        }
        return new RecordPage(body, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count), nextLink, deltaLink);
    }

    /** The records, each copied out of the page when it is read, as one line of JSON. */
    public List<byte[]> records() {
        return new AbstractList<>() {
            @Override
            public byte[] get(int index) {
                return singleLine(Arrays.copyOfRange(body, starts[index], ends[index]));
            }

            @Override
            public int size() {
                return starts.length;
            }
        };
    }

    /** Bytes of JSON the records take (what a part holds before compression, newlines aside). */
    public long recordBytes() {
        long bytes = 0;
        for (int i = 0; i < starts.length; i++) {
            bytes += ends[i] - starts[i];
        }
        return bytes;
    }

    public String nextLink() {
        return nextLink;
    }

    public String deltaLink() {
        return deltaLink;
    }

    /**
     * NDJSON needs one record per line. Raw line breaks can only be whitespace between tokens
     * (inside JSON strings they are escaped), so replacing them with spaces keeps the JSON intact.
     */
    private static byte[] singleLine(byte[] record) {
        for (int i = 0; i < record.length; i++) {
            if (record[i] == '\n' || record[i] == '\r') {
                record[i] = ' ';
            }
        }
        return record;
    }
}
