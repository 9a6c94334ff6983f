package org.dataversebackup.emulator;

import java.util.Map;

/**
 * The columns of a note that Dataverse derives on write: {@code filesize} is the size of the decoded
 * {@code documentbody} (read-only in the Web API) and {@code objecttypecode} names the table the
 * note's {@code objectid} points to. A documentbody that is not base64 is refused.
 */
final class NoteColumns {
    private NoteColumns() {
    }

    static void derive(TableDef def, Map<ColumnDef, Object> values) {
        if (!"annotation".equals(def.logicalName)) {
            return;
        }
        ColumnDef body = def.column("documentbody");
        if (values.containsKey(body)) {
            String base64 = (String) values.get(body);
            Integer size = null;
            if (base64 != null && !base64.isEmpty()) {
                try {
                    size = java.util.Base64.getDecoder().decode(base64).length;
                } catch (IllegalArgumentException e) {
                    throw new ApiError(400, "0x0", "The value of 'documentbody' is not a valid base64 string.");
                }
            }
            values.put(def.column("filesize"), size);
        }
        ColumnDef objectId = def.column("objectid");
        if (values.containsKey(objectId)) {
            Object ref = values.get(objectId);
            values.put(def.column("objecttypecode"), ref instanceof Ref r ? r.table() : null);
        }
    }
}
