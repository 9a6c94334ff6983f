package org.dataversebackup.dataverse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A file or image column of a table, found in its EntityDefinition's attributes by
 * {@code AttributeTypeName} ({@code FileType}, {@code ImageType}), never from a list of names:
 * AttributeTypeCode has no File or Image, both are {@code Virtual} (file-attributes, image-attributes).
 *
 * @param logicalName       e.g. {@code entityimage}
 * @param image             an image column (else a file column)
 * @param canStoreFullImage an image column that keeps the full-sized image ({@code CanStoreFullImage}):
 *                          downloaded with {@code ?size=full}; else only the thumbnail exists
 * @param inRecord          a body the Web API returns inside the record as a base64 string (the
 *                          attachment of a note, {@code annotation.documentbody}, or of an email,
 *                          {@code activitymimeattachment.body}): taken out of the record as it is
 *                          read, not downloaded apart
 */
public record FileColumn(String logicalName, boolean image, boolean canStoreFullImage, boolean inRecord) {
    public static final String FILE_TYPE = "FileType";
    public static final String IMAGE_TYPE = "ImageType";

    /**
     * The documented attachment bodies kept inside records, by table: Memo columns holding base64
     * (annotation EntityType: documentbody, "Contents of the note's attachment"; activitymimeattachment:
     * body), so they cannot be found by type like file and image columns.
     */
    private static final Map<String, String> RECORD_BODIES = Map.of("annotation", "documentbody",
            "activitymimeattachment", "body");

    public FileColumn(String logicalName, boolean image, boolean canStoreFullImage) {
        this(logicalName, image, canStoreFullImage, false);
    }

    /** Whether the column of the table is an attachment body kept inside its records (annotation.documentbody). */
    public static boolean isRecordBody(String table, String column) {
        return column != null && column.equals(RECORD_BODIES.get(table));
    }

    /** Download the full-sized image (else the thumbnail, or the file of a file column). */
    public boolean fullImage() {
        return image && canStoreFullImage;
    }

    /** {@code full} or {@code thumbnail} for images (what the snapshot holds), null for files. */
    public String imageSize() {
        return image ? (canStoreFullImage ? "full" : "thumbnail") : null;
    }

    /**
     * Whether a row read from the Web API holds a value in this column: a file column holds the
     * file id; an image column its thumbnail (base64) or the image id ({@code <column>id}).
     */
    public boolean hasValue(JsonNode row) {
        if (present(row.get(logicalName))) {
            return true;
        }
        return image && present(row.get(logicalName + "id"));
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.asText("").isEmpty();
    }

    /** The file and image columns of an EntityDefinition with its {@code Attributes}, and its attachment body. */
    public static List<FileColumn> of(JsonNode definition) {
        List<FileColumn> columns = new ArrayList<>();
        String table = definition.path("LogicalName").asText("");
        for (JsonNode a : definition.path("Attributes")) {
            String typeName = a.path("AttributeTypeName").path("Value").asText("");
            if (FILE_TYPE.equals(typeName) || IMAGE_TYPE.equals(typeName)) {
                columns.add(new FileColumn(a.path("LogicalName").asText(), IMAGE_TYPE.equals(typeName),
                        a.path("CanStoreFullImage").asBoolean(false)));
            } else if (isRecordBody(table, a.path("LogicalName").asText())) {
                columns.add(new FileColumn(a.path("LogicalName").asText(), false, false, true));
            }
        }
        return columns;
    }
}
