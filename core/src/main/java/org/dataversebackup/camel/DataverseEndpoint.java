package org.dataversebackup.camel;

import java.util.List;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.dataversebackup.backup.TableCatalog;
import org.dataversebackup.backup.TableScope;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.DataverseClient;

/**
 * A {@code dataverse:operation?options} endpoint. Options win over the message's headers, and
 * headers over the environment's configuration ({@code backup.*}, {@code restore.*}). The options
 * are listed in the README ("Use it in your Camel application"); a test keeps that table and these
 * annotations in step.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = DataverseComponent.SCHEME, title = "Dataverse",
        syntax = "dataverse:operation", category = {Category.CLOUD, Category.DATABASE},
        headersClass = DataverseHeaders.class)
public class DataverseEndpoint extends ScheduledPollEndpoint {

    @UriPath(enums = "backup,restore,check,diff,records,write", description = "What the endpoint does: backup, restore,"
            + " check and diff run a job of the environment (producers); records reads a table (consumer); write writes the"
            + " body's record (producer)")
    @Metadata(required = true)
    private final DataverseOperation operation;

    @UriParam(defaultValue = Settings.DEFAULT_ENVIRONMENT, description = "The Dataverse environment: default (dataverse.url"
            + " and auth.*) or a name configured with dataverse.environments.<name>.url and .auth.*")
    private String environment = Settings.DEFAULT_ENVIRONMENT;

    @UriParam(label = "backup,restore,check,diff", description = "Comma-separated logical names or *; empty = the"
            + " environment's backup.tables (backup, check), every table of the snapshot (restore) or of either side (diff)")
    private String tables;

    @UriParam(label = "backup", description = "Where the snapshot goes: file:<folder> or s3://bucket/prefix; empty ="
            + " backup.target")
    private String target;

    @UriParam(label = "backup", enums = "full,incremental", description = "full, or incremental: the changes since the"
            + " newest snapshot of the environment in the target (a full snapshot when there is none); empty = full")
    private String kind;

    @UriParam(label = "restore", description = "The snapshot to restore: its folder, or s3://bucket/prefix/<environment>/<id>")
    private String snapshot;

    @UriParam(label = "restore,write", enums = "upsert,create,update", description = "upsert, create or update;"
            + " empty = restore.mode (restore) or upsert (write)")
    private String mode;

    @UriParam(label = "restore", description = "Only these primary keys (comma-separated)")
    private String ids;

    @UriParam(label = "restore", description = "Only the rows matching this filter (column=value, see docs/RESTORE.md)")
    private String filter;

    @UriParam(label = "restore", description = "Plan and report without writing")
    private Boolean dryRun;

    @UriParam(label = "restore", description = "Also delete the live rows of each restored table that the snapshot does not"
            + " hold (upsert mode, whole tables only)")
    private Boolean deletes;

    @UriParam(label = "restore", description = "A mapping file of ids that differ in the target (users, teams, ...)")
    private String mapping;

    @UriParam(label = "restore", description = "Allow restoring a snapshot of another environment")
    private Boolean allowOtherEnvironment;

    @UriParam(label = "check", enums = "backup,restore", description = "What the connection account is checked for;"
            + " empty = backup")
    private String purpose;

    @UriParam(label = "diff", description = "The older snapshot: its folder, or s3://bucket/prefix/<environment>/<id>")
    private String older;

    @UriParam(label = "diff", description = "The newer snapshot as older, or live: the environment's rows now")
    private String newer;

    @UriParam(label = "diff", description = "A file for every row that differs, one JSON object per line; empty = counts only")
    private String changesFile;

    @UriParam(label = "records,write", description = "The table's logical name (records, write)")
    private String table;

    @UriParam(label = "records", description = "The columns to read ($select, comma-separated); empty = all")
    private String select;

    @UriParam(label = "records", description = "An OData $filter for the rows to read")
    private String odataFilter;

    @UriParam(label = "records", defaultValue = "5000", description = "Rows per page (1 to 5000)")
    private int pageSize = 5000;

    private volatile TableScope tableScope;

    public DataverseEndpoint(String uri, DataverseComponent component, DataverseOperation operation) {
        super(uri, component);
        this.operation = operation;
    }

    @Override
    public Producer createProducer() {
        return switch (operation) {
            case BACKUP, RESTORE, CHECK, DIFF -> new DataverseJobProducer(this);
            case WRITE -> new DataverseWriteProducer(this);
            case RECORDS -> throw new IllegalArgumentException("dataverse:records is a consumer (from:); write with dataverse:write.");
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (operation != DataverseOperation.RECORDS) {
            throw new IllegalArgumentException("dataverse:" + operation.path() + " is a producer (to:); read a table with"
                    + " from: dataverse:records?table=...");
        }
        DataverseRecordsConsumer consumer = new DataverseRecordsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    /** The registry name of this endpoint's environment's bean. */
    String bean(String name) {
        return BeanNames.of(Settings.checkEnvironmentName(environment), name);
    }

    /** The environment's Web API client, or a configuration error saying how to configure the environment. */
    DataverseClient client() {
        DataverseClient client = getCamelContext().getRegistry().lookupByNameAndType(bean(BeanNames.DATAVERSE_CLIENT),
                DataverseClient.class);
        if (client == null) {
            throw notConfigured(environment);
        }
        return client;
    }

    /**
     * The {@code table} option's entity set and primary key, read from Dataverse once per endpoint
     * (at the first use, so a context starts without Dataverse being reachable).
     */
    TableScope table() {
        TableScope scope = tableScope;
        if (scope == null) {
            if (table == null || table.isBlank()) {
                throw new IllegalArgumentException("dataverse:" + operation.path() + " needs the option table: the"
                        + " logical name of the table, e.g. dataverse:" + operation.path() + "?table=account");
            }
            scope = new TableCatalog(this::client).resolve(List.of(table), List.of()).get(0);
            tableScope = scope;
        }
        return scope;
    }

    static ConfigurationException notConfigured(String environment) {
        return new ConfigurationException("Dataverse environment '" + environment + "' is not configured in this"
                + " CamelContext: set dataverse.environments." + environment + ".url and its auth.* keys, and add "
                + DataverseBackupConfiguration.class.getName() + ".");
    }

    public DataverseOperation getOperation() {
        return operation;
    }

    public String getEnvironment() {
        return environment;
    }

    public void setEnvironment(String environment) {
        this.environment = environment;
    }

    public String getTables() {
        return tables;
    }

    public void setTables(String tables) {
        this.tables = tables;
    }

    public String getOlder() {
        return older;
    }

    public void setOlder(String older) {
        this.older = older;
    }

    public String getNewer() {
        return newer;
    }

    public void setNewer(String newer) {
        this.newer = newer;
    }

    public String getChangesFile() {
        return changesFile;
    }

    public void setChangesFile(String changesFile) {
        this.changesFile = changesFile;
    }

    public String getTarget() {
        return target;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public String getSnapshot() {
        return snapshot;
    }

    public void setSnapshot(String snapshot) {
        this.snapshot = snapshot;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getIds() {
        return ids;
    }

    public void setIds(String ids) {
        this.ids = ids;
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }

    public Boolean getDryRun() {
        return dryRun;
    }

    public void setDryRun(Boolean dryRun) {
        this.dryRun = dryRun;
    }

    public Boolean getDeletes() {
        return deletes;
    }

    public void setDeletes(Boolean deletes) {
        this.deletes = deletes;
    }

    public String getMapping() {
        return mapping;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public Boolean getAllowOtherEnvironment() {
        return allowOtherEnvironment;
    }

    public void setAllowOtherEnvironment(Boolean allowOtherEnvironment) {
        this.allowOtherEnvironment = allowOtherEnvironment;
    }

    public String getPurpose() {
        return purpose;
    }

    public void setPurpose(String purpose) {
        this.purpose = purpose;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public String getSelect() {
        return select;
    }

    public void setSelect(String select) {
        this.select = select;
    }

    public String getOdataFilter() {
        return odataFilter;
    }

    public void setOdataFilter(String odataFilter) {
        this.odataFilter = odataFilter;
    }

    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }
}
