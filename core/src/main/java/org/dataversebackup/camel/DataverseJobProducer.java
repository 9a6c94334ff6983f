package org.dataversebackup.camel;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.service.ServiceHelper;
import org.dataversebackup.config.Settings;

/**
 * {@code dataverse:backup}, {@code dataverse:restore}, {@code dataverse:check} and {@code dataverse:diff}: the endpoint's
 * options become the job's headers (options win), and the exchange runs through the
 * environment's job route {@code direct:dataverse-backup.<environment>.<job>}; its answer (the
 * summary or report) is the reply.
 */
final class DataverseJobProducer extends DefaultAsyncProducer {
    private final DataverseEndpoint endpoint;
    private volatile Producer route;

    DataverseJobProducer(DataverseEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            Message message = exchange.getMessage();
            applyOptions(message);
            message.setHeader(DataverseHeaders.ENVIRONMENT, endpoint.getEnvironment());
            Producer producer = route();
            return ((AsyncProcessor) producer).process(exchange, callback);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    private void applyOptions(Message message) {
        switch (endpoint.getOperation()) {
            case BACKUP -> {
                set(message, DataverseHeaders.BACKUP_TABLES, endpoint.getTables());
                set(message, DataverseHeaders.BACKUP_TARGET, endpoint.getTarget());
                set(message, DataverseHeaders.BACKUP_KIND, endpoint.getKind());
            }
            case RESTORE -> {
                set(message, DataverseHeaders.RESTORE_SNAPSHOT, endpoint.getSnapshot());
                set(message, DataverseHeaders.RESTORE_TABLES, endpoint.getTables());
                set(message, DataverseHeaders.RESTORE_MODE, endpoint.getMode());
                set(message, DataverseHeaders.RESTORE_IDS, endpoint.getIds());
                set(message, DataverseHeaders.RESTORE_FILTER, endpoint.getFilter());
                set(message, DataverseHeaders.RESTORE_DRY_RUN, endpoint.getDryRun());
                set(message, DataverseHeaders.RESTORE_DELETES, endpoint.getDeletes());
                set(message, DataverseHeaders.RESTORE_MAPPING, endpoint.getMapping());
                set(message, DataverseHeaders.RESTORE_ALLOW_OTHER_ENVIRONMENT, endpoint.getAllowOtherEnvironment());
            }
            case CHECK -> {
                set(message, DataverseHeaders.CHECK_PURPOSE, endpoint.getPurpose());
                set(message, DataverseHeaders.CHECK_TABLES, endpoint.getTables());
            }
            case DIFF -> {
                set(message, DataverseHeaders.DIFF_OLDER, endpoint.getOlder());
                set(message, DataverseHeaders.DIFF_NEWER, endpoint.getNewer());
                set(message, DataverseHeaders.DIFF_TABLES, endpoint.getTables());
                set(message, DataverseHeaders.DIFF_CHANGES_FILE, endpoint.getChangesFile());
            }
            default -> throw new IllegalStateException("not a job: " + endpoint.getOperation());
        }
    }

    private static void set(Message message, String header, Object option) {
        if (option != null) {
            message.setHeader(header, option);
        }
    }

    /** The environment's job route, resolved at the first exchange (routes may be added after this producer). */
    private Producer route() throws Exception {
        Producer producer = route;
        if (producer == null) {
            synchronized (this) {
                producer = route;
                if (producer == null) {
                    String environment = Settings.checkEnvironmentName(endpoint.getEnvironment());
                    String job = endpoint.getOperation().path();
                    if (getEndpoint().getCamelContext().getRoute(BeanNames.of(environment, job)) == null) {
                        throw DataverseEndpoint.notConfigured(environment);
                    }
                    Endpoint direct = getEndpoint().getCamelContext().getEndpoint(DataverseRoutes.jobEndpoint(environment, job));
                    producer = direct.createAsyncProducer();
                    ServiceHelper.startService(producer);
                    route = producer;
                }
            }
        }
        return producer;
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(route);
        route = null;
        super.doStop();
    }
}
