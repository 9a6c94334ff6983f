package org.dataversebackup.camel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.dataversebackup.backup.TableScope;
import org.dataversebackup.dataverse.PagedRecords;
import org.dataversebackup.dataverse.Urls;
import org.dataversebackup.dataverse.WebApiLimits;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code from: dataverse:records?table=account}: each poll reads the whole table, page by page
 * ({@link PagedRecords}: at most two pages in memory whatever the table's size), and emits one
 * exchange per row: the row's JSON as the body, {@link DataverseHeaders#TABLE} and
 * {@link DataverseHeaders#RECORD_ID} as headers. Rows carry the lookups' target tables
 * ({@code lookuplogicalname} annotations), as backups do. Stopping the route stops the reading
 * between two rows.
 */
final class DataverseRecordsConsumer extends ScheduledPollConsumer {
    /** Lookups name their target table, so a row read here can be written elsewhere as backups are. */
    private static final String ANNOTATIONS = "Microsoft.Dynamics.CRM.lookuplogicalname";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataverseEndpoint endpoint;
    private ExecutorService readAhead;

    DataverseRecordsConsumer(DataverseEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        String name = endpoint.getTable();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dataverse:records needs the option table: the logical name of the table"
                    + " to read, e.g. dataverse:records?table=account");
        }
        int pageSize = endpoint.getPageSize();
        if (pageSize < 1 || pageSize > WebApiLimits.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("The option pageSize of dataverse:records is 1 to " + WebApiLimits.MAX_PAGE_SIZE
                    + " (the Web API's largest page), not " + pageSize + ".");
        }
    }

    @Override
    protected void doStart() throws Exception {
        // fetches the next page while the rows of the current one are processed
        readAhead = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "DataverseRecordsReadAhead");
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (readAhead != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(readAhead);
            readAhead = null;
        }
    }

    @Override
    protected int poll() throws Exception {
        TableScope scope = endpoint.table();
        Iterator<byte[]> rows = new PagedRecords(endpoint.client(), query(scope), Map.of("Prefer", prefer()), page -> {
        }, readAhead);
        int count = 0;
        while (isPollAllowed() && rows.hasNext()) {
            emit(scope, rows.next());
            count++;
        }
        return count;
    }

    private void emit(TableScope scope, byte[] row) throws IOException {
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            message.setBody(new String(row, StandardCharsets.UTF_8));
            message.setHeader(DataverseHeaders.TABLE, scope.logicalName());
            message.setHeader(DataverseHeaders.RECORD_ID, JSON.readTree(row).path(scope.primaryIdAttribute()).asText(null));
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing a row of " + scope.logicalName(), exchange,
                        exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** The rows, in primary key order (Dataverse's default, which keeps the paging consistent). */
    private String query(TableScope scope) {
        StringJoiner options = new StringJoiner("&", "?", "").setEmptyValue("");
        if (endpoint.getSelect() != null && !endpoint.getSelect().isBlank()) {
            options.add("$select=" + Urls.encode(endpoint.getSelect().replace(" ", "")));
        }
        if (endpoint.getOdataFilter() != null && !endpoint.getOdataFilter().isBlank()) {
            options.add("$filter=" + Urls.encode(endpoint.getOdataFilter()));
        }
        return scope.entitySetName() + options;
    }

    private String prefer() {
        return PagedRecords.prefer(endpoint.getPageSize(), ANNOTATIONS);
    }
}
