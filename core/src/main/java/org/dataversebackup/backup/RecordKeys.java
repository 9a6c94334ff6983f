package org.dataversebackup.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The primary key of a record as the Web API returned it (one JSON object), read with Jackson's
 * streaming parser up to the key's field: a range reader checks every row's key against its range's
 * end, so the row is not parsed into a tree.
 */
final class RecordKeys {
    private static final JsonFactory JSON = new JsonFactory();

    private RecordKeys() {
    }

    /** @throws IllegalStateException naming the table when the record has no key of its own */
    static UUID key(byte[] record, String primaryKey, String table) {
        try (JsonParser parser = JSON.createParser(record)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (primaryKey.equals(name) && value == JsonToken.VALUE_STRING) {
                        return UUID.fromString(parser.getText());
                    }
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(table + ": a row that is not JSON", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(table + ": a row whose " + primaryKey + " is not a GUID", e);
        }
        throw new IllegalStateException(table + ": a row without its primary key " + primaryKey + " (read by key range)");
    }
}
