package org.dataversebackup.dataverse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * One page of a Web API collection: its records, each kept byte for byte as Dataverse sent it
 * (no re-serialisation, so decimals, dates and annotations are exactly preserved), and the links
 * to the next page and, under change tracking, the delta link. {@code @odata.context} is dropped.
 */
public record RecordPage(List<byte[]> records, String nextLink, String deltaLink) {
    private static final JsonFactory JSON = new JsonFactory();

    public static RecordPage parse(byte[] body) {
        List<byte[]> records = new ArrayList<>();
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
                    case "value" -> readRecords(parser, body, value, records);
                    case "@odata.nextLink" -> nextLink = parser.getValueAsString();
                    case "@odata.deltaLink" -> deltaLink = parser.getValueAsString();
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The page Dataverse returned is not valid JSON: " + e.getMessage(), e);
        }
        return new RecordPage(records, nextLink, deltaLink);
    }

    private static void readRecords(JsonParser parser, byte[] body, JsonToken value, List<byte[]> records)
            throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("'value' of a Web API collection is an array");
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            int start = (int) parser.currentTokenLocation().getByteOffset();
            parser.skipChildren();
            int end = (int) parser.currentLocation().getByteOffset();
            records.add(singleLine(Arrays.copyOfRange(body, start, end)));
        }
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
