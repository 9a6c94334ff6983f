package org.dataversebackup.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sdkmessagefilters} (read only): which SDK messages each table supports. Microsoft
 * documents this query to tell whether a standard table supports a bulk message (CreateMultiple,
 * UpdateMultiple, UpsertMultiple), since not every standard table does: a filter for the table
 * ({@code primaryobjecttypecode}) joined to its message ({@code sdkmessage.name}); one row found
 * means supported. The emulator answers that query, as {@code $filter=primaryobjecttypecode eq
 * 'account' and sdkmessageid/name eq 'CreateMultiple'}, for its tables: the writable ones
 * support Create, Update, Delete and the three bulk messages, every table Retrieve and
 * RetrieveMultiple. Other filters are refused (400), as the emulator does not store these rows.
 */
final class MessageFilters {
    static final List<String> WRITE_MESSAGES = List.of("Create", "Update", "Delete", "CreateMultiple", "UpdateMultiple",
            "UpsertMultiple");
    static final List<String> READ_MESSAGES = List.of("Retrieve", "RetrieveMultiple");
    private static final Pattern CONDITION = Pattern.compile("\\s*(primaryobjecttypecode|sdkmessageid/name)\\s+eq\\s+'([^']*)'\\s*",
            Pattern.CASE_INSENSITIVE);

    private final EmulatorContext ctx;

    MessageFilters(EmulatorContext ctx) {
        this.ctx = ctx;
    }

    ApiResponse read(ApiRequest request) {
        if (!"GET".equals(request.method)) {
            throw ApiError.noResource(ctx.serviceRoot(request.version) + request.path);
        }
        String table = null;
        String message = null;
        String filter = request.query().getOrDefault("$filter", "");
        for (String condition : filter.split("(?i)\\s+and\\s+")) {
            if (condition.isBlank()) {
                continue;
            }
            Matcher m = CONDITION.matcher(condition.replaceAll("^\\(+|\\)+$", ""));
            if (!m.matches()) {
                throw ApiError.badRequest("The emulator answers sdkmessagefilters queries by primaryobjecttypecode and"
                        + " sdkmessageid/name ('eq', joined by 'and') only, not '" + condition.trim() + "'.");
            }
            if (m.group(1).equalsIgnoreCase("primaryobjecttypecode")) {
                table = m.group(2).toLowerCase(Locale.ROOT);
            } else {
                message = m.group(2);
            }
        }
        List<String[]> rows = new ArrayList<>();
        for (TableDef def : Schema.INSTANCE.tables()) {
            if (table != null && !table.equals(def.logicalName)) {
                continue;
            }
            List<String> messages = new ArrayList<>(READ_MESSAGES);
            if (def.writable) {
                messages.addAll(WRITE_MESSAGES);
            }
            for (String supported : messages) {
                if (message == null || message.equals(supported)) {
                    rows.add(new String[] {def.logicalName, supported});
                }
            }
        }
        String context = ctx.serviceRoot(request.version) + "$metadata#sdkmessagefilters(sdkmessagefilterid,primaryobjecttypecode)";
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context);
            g.writeArrayFieldStart("value");
            for (String[] row : rows) {
                g.writeStartObject();
                g.writeStringField("sdkmessagefilterid",
                        UUID.nameUUIDFromBytes((row[0] + "/" + row[1]).getBytes(StandardCharsets.UTF_8)).toString());
                g.writeStringField("primaryobjecttypecode", row[0]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
