package org.dataversebackup.camel;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code dataverse:} component: {@code dataverse:backup}, {@code dataverse:restore} and
 * {@code dataverse:check} run the jobs of a Dataverse environment (its routes
 * {@code dataverse-backup.<environment>.*}); {@code dataverse:records} (a consumer) reads a
 * table and {@code dataverse:write} (a producer) writes records: the building blocks of the
 * backup and restore routes, for ESB teams' own flows. The beans and routes it uses come from
 * {@link DataverseBackupConfiguration}.
 */
@Component(DataverseComponent.SCHEME)
public class DataverseComponent extends DefaultComponent {
    public static final String SCHEME = "dataverse";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DataverseEndpoint endpoint = new DataverseEndpoint(uri, this, DataverseOperation.parse(remaining));
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
