package org.dataversebackup.camel;

import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.dataversebackup.backup.TableScope;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.DataverseResponse;
import org.dataversebackup.dataverse.WriteResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code to: dataverse:write?table=account&mode=upsert}: writes the row in the body (a JSON
 * object as String, byte[], Map or Jackson node) to the table, one request per exchange, through
 * the environment's {@link DataverseClient} (its retries: 429, 5xx, 401). The row's id is the
 * {@link DataverseHeaders#RECORD_ID} header, else the body's primary key; only create may do
 * without one (Dataverse assigns it). The reply keeps the body and tells the id written
 * ({@link DataverseHeaders#RECORD_ID}) and Dataverse's status ({@link DataverseHeaders#WRITE_STATUS});
 * a refusal is the exchange's {@link DataverseException}.
 */
final class DataverseWriteProducer extends DefaultProducer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Web API's ways of writing a row (see the Web API's conditional operations). */
    private enum Mode {
        /** PATCH by id: creates the row when missing, else updates it. */
        UPSERT,
        /** POST: a new row; an id, when known, goes in the body, and an existing row is refused. */
        CREATE,
        /** PATCH by id with {@code If-Match: *}: updates only a row that exists (else 404). */
        UPDATE;

        static Mode of(String option) {
            if (option == null || option.isBlank()) {
                return UPSERT;
            }
            try {
                return valueOf(option.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The option mode of dataverse:write is upsert, create or update, not '"
                        + option + "'.");
            }
        }
    }

    private final Mode mode;
    private final DataverseEndpoint endpoint;

    DataverseWriteProducer(DataverseEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        String name = endpoint.getTable();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dataverse:write needs the option table: the logical name of the table"
                    + " to write, e.g. dataverse:write?table=account");
        }
        this.mode = Mode.of(endpoint.getMode());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        TableScope scope = endpoint.table();
        Message message = exchange.getMessage();
        ObjectNode row = row(message);
        String id = id(message, row, scope.primaryIdAttribute());
        DataverseResponse response = switch (mode) {
            case UPSERT -> endpoint.client().send("PATCH", byId(scope, id), Map.of(), bytes(row), true);
            case UPDATE -> update(scope, id, row);
            case CREATE -> {
                if (id != null) {
                    row.put(scope.primaryIdAttribute(), id);
                }
                // without an id a replayed POST could create the row twice; with one it is refused instead
                yield endpoint.client().send("POST", scope.entitySetName(), Map.of(), bytes(row), id != null);
            }
        };
        message.setHeader(DataverseHeaders.RECORD_ID, id != null ? id : createdId(response));
        message.setHeader(DataverseHeaders.WRITE_STATUS, response.status());
    }

    private DataverseResponse update(TableScope scope, String id, ObjectNode row) throws Exception {
        try {
            return endpoint.client().send("PATCH", byId(scope, id), Map.of("If-Match", "*"), bytes(row), true);
        } catch (DataverseException e) {
            if (!WriteResult.failed(e).notFound()) {
                throw e;
            }
            throw new DataverseException(e.request(), e.status(), e.code(), "the " + scope.logicalName() + " row " + id
                    + " does not exist: mode=update only changes existing rows (mode=upsert creates missing ones)."
                    + " Dataverse said: " + e.dataverseMessage());
        }
    }

    private String byId(TableScope scope, String id) {
        if (id == null) {
            throw new IllegalArgumentException("dataverse:write mode=" + mode.name().toLowerCase(Locale.ROOT) + " needs the"
                    + " row's id: set the header " + DataverseHeaders.RECORD_ID + " or the body's "
                    + scope.primaryIdAttribute() + ".");
        }
        return scope.entitySetName() + "(" + id + ")";
    }

    /** A copy of the body as a JSON object: the exchange's body stays as it was. */
    private static ObjectNode row(Message message) throws Exception {
        Object body = message.getBody();
        JsonNode row;
        if (body instanceof JsonNode node) {
            row = node.deepCopy();
        } else if (body instanceof Map<?, ?> map) {
            row = JSON.valueToTree(map);
        } else {
            row = JSON.readTree(message.getMandatoryBody(byte[].class));
        }
        if (row instanceof ObjectNode object) {
            return object;
        }
        throw new IllegalArgumentException("The body of dataverse:write must be a row: a JSON object, not "
                + (row == null ? "nothing" : row.getNodeType().toString().toLowerCase(Locale.ROOT)) + ".");
    }

    private static String id(Message message, ObjectNode row, String primaryIdAttribute) {
        String header = message.getHeader(DataverseHeaders.RECORD_ID, String.class);
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        String inBody = row.path(primaryIdAttribute).asText("");
        return inBody.isBlank() ? null : inBody;
    }

    /** The id Dataverse gave a created row: {@code OData-EntityId: <api>/accounts(<id>)}. */
    private static String createdId(DataverseResponse response) {
        return response.header("OData-EntityId")
                .filter(url -> url.endsWith(")") && url.lastIndexOf('(') >= 0)
                .map(url -> url.substring(url.lastIndexOf('(') + 1, url.length() - 1))
                .orElse(null);
    }

    private static byte[] bytes(ObjectNode row) throws Exception {
        return JSON.writeValueAsBytes(row);
    }
}
