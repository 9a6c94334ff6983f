package org.dataversebackup.camel;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.function.Suppliers;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.auth.DataverseTokenProcessor;
import org.dataversebackup.auth.DataverseTokenProvider;
import org.dataversebackup.auth.LazyAccessTokens;
import org.dataversebackup.backup.BackupPlanner;
import org.dataversebackup.backup.BackupProgress;
import org.dataversebackup.backup.BackupSteps;
import org.dataversebackup.backup.Partitioning;
import org.dataversebackup.backup.TableCatalog;
import org.dataversebackup.backup.TableReader;
import org.dataversebackup.backup.TableSchemas;
import org.dataversebackup.check.Preflight;
import org.dataversebackup.check.PreflightSteps;
import org.dataversebackup.concurrent.ResizablePool;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.AccessTokens;
import org.dataversebackup.dataverse.Connection;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.PagedRecords;
import org.dataversebackup.dataverse.RetryPolicy;
import org.dataversebackup.dataverse.ServiceProtectionGate;
import org.dataversebackup.dataverse.TlsSettings;
import org.dataversebackup.dataverse.WebApiLimits;
import org.dataversebackup.diff.DiffSteps;
import org.dataversebackup.restore.RestorePlanner;
import org.dataversebackup.restore.RestoreSettings;
import org.dataversebackup.snapshot.SnapshotKeys;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The beans of one Dataverse environment, bound as {@code dataverse-backup.<environment>.<bean>}:
 * its token provider, Web API client (own retry policy and TLS trust, {@code dataverse.tls.*}), the backup, restore
 * and preflight beans its routes use, and their thread pools. Built from the environment's
 * settings on first use, so an environment that is never used needs no settings, and a missing
 * one is reported when needed, naming its key. A Camel service: stopping the context shuts the
 * pools down, so no thread outlives it.
 */
final class EnvironmentBeans extends ServiceSupport {
    /** What a backup asks every row to carry (backup.annotations): restore needs them for lookups. */
    private static final String BACKUP_ANNOTATIONS = "Microsoft.Dynamics.CRM.lookuplogicalname,"
            + "Microsoft.Dynamics.CRM.associatednavigationproperty";
    private final String environment;
    private final ResizablePool tablePool;
    private final ResizablePool writerPool;
    private final ResizablePool partitionPool;

    private EnvironmentBeans(String environment) {
        this.environment = environment;
        this.tablePool = ResizablePool.unbounded("dataverse-backup-" + environment + "-table");
        // the reads of every table's partitions (key ranges, or the whole table): a pool of its own, because the table
        // threads wait for them; sized with the table pool, so that no more reads run at once than tables did before
        this.partitionPool = ResizablePool.unbounded("dataverse-backup-" + environment + "-partition");
        // a short queue: the snapshot is read only as fast as chunks are written
        this.writerPool = ResizablePool.bounded("dataverse-backup-" + environment + "-restore-writer", 8);
    }

    /** Binds the environment's beans and registers them with the context's lifecycle. */
    static void bind(CamelContext context, String environment, Settings settings, Supplier<S3Client> s3) {
        EnvironmentBeans beans = new EnvironmentBeans(environment);
        beans.bindAll(context, settings, s3);
        try {
            context.addService(beans, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("The beans of environment " + environment + " could not be registered", e);
        }
    }

    private void bindAll(CamelContext context, Settings settings, Supplier<S3Client> s3) {
        Registry registry = context.getRegistry();
        // fetches a table's next page while the current one is written (a thread per table being
        // read); Camel's executor manager shuts it down with the context
        ExecutorService readAhead = context.getExecutorServiceManager().newCachedThreadPool(this,
                "dataverse-backup-" + environment + "-read-ahead");
        // the connection accounts: the main one (auth.*) and those of auth.connections, each with its own tokens
        Supplier<java.util.LinkedHashMap<String, AuthSettings>> accounts = Suppliers.memorize(() -> AuthSettings.connections(settings));
        Supplier<AuthSettings> auth = () -> accounts.get().get(AuthSettings.MAIN_CONNECTION);
        LazyAccessTokens tokens = new LazyAccessTokens(() -> DataverseTokenProvider.create(auth.get()));
        Supplier<Map<String, Preflight.Account>> extraAccounts = Suppliers.memorize(() -> {
            Map<String, Preflight.Account> extra = new java.util.LinkedHashMap<>();
            accounts.get().forEach((name, account) -> {
                if (!name.equals(AuthSettings.MAIN_CONNECTION)) {
                    extra.put(name, new Preflight.Account(account, new LazyAccessTokens(() -> DataverseTokenProvider.create(account))));
                }
            });
            return extra;
        });
        registry.bind(name(BeanNames.ACCESS_TOKENS), AccessTokens.class, tokens);
        registry.bind(name(BeanNames.TOKEN_PROCESSOR), DataverseTokenProcessor.class, new DataverseTokenProcessor(tokens));

        // every client of the same environment and user shares one gate: Dataverse throttles per user; with
        // auth.connections the requests are spread over several users, each through its own gate
        Supplier<DataverseClient> client = Suppliers.memorize(() -> {
            URI url = AuthSettings.environmentUrl(settings);
            List<Connection> connections = new ArrayList<>();
            connections.add(new Connection(AuthSettings.MAIN_CONNECTION, tokens, ServiceProtectionGate.of(url, auth.get().tokenHolder())));
            extraAccounts.get().forEach((name, account) -> connections.add(new Connection(name, account.tokens(),
                    ServiceProtectionGate.of(url, account.settings().tokenHolder()))));
            return new DataverseClient(url, settings.get("dataverse.api-version", "9.2"), connections,
                    new RetryPolicy(settings.intValue("dataverse.max-attempts", 10), Duration.ofSeconds(1), Duration.ofSeconds(60),
                            settings.durationValue("retry.max-throttle-wait", RetryPolicy.DEFAULT_MAX_THROTTLE_WAIT)),
                    Duration.ofSeconds(settings.intValue("dataverse.timeout-seconds", 120)),
                    settings.booleanValue("dataverse.compression", true), TlsSettings.from(settings).sslContext());
        });
        registry.bind(name(BeanNames.DATAVERSE_CLIENT), DataverseClient.class, lazy(client));

        // backup
        SnapshotKeys snapshotKeys = SnapshotKeys.from(settings);
        BackupProgress progress = new BackupProgress(Duration.ofSeconds(settings.intValue("backup.progress-seconds", 10)));
        registry.bind(name("backupTablePool"), ResizablePool.class, tablePool);
        registry.bind(name("backupPartitionPool"), ResizablePool.class, partitionPool);
        Path backupWorkDir = Path.of(settings.get("backup.work-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "dataverse-backup").toString()));
        registry.bind(name("backupPlanner"), new BackupPlanner(client, new TableCatalog(client), tablePool, partitionPool,
                settings.list("backup.tables"), settings.list("backup.exclude"), settings.get("backup.target", "file:backups"),
                settings.optional("backup.environment-name"), settings.optionalInt("backup.parallelism"), pageSize(settings),
                s3, backupWorkDir, settings.get("backup.concurrent", "wait")));
        registry.bind(name("tableReader"), new TableReader(client, pageSize(settings),
                positive(settings, "backup.chunk-records", 50_000),
                settings.get("backup.annotations", BACKUP_ANNOTATIONS), progress, readAhead,
                snapshotKeys.encryption(), Partitioning.parse(settings.get("backup.partitions", Partitioning.AUTO)),
                partitionPool::getMaximumPoolSize));
        boolean files = settings.booleanValue("backup.files", true);
        registry.bind(name("backupSteps"), new BackupSteps(new TableSchemas(client), progress, snapshotKeys, files));
        registry.bind(name("fileBackup"), new org.dataversebackup.backup.FileBackup(client, snapshotKeys.encryption(),
                byteSize(settings, "backup.max-file-bytes")));
        registry.bind(name("retentionAfterBackup"), new org.dataversebackup.backup.RetentionAfterBackup(
                org.dataversebackup.snapshot.RetentionPolicy.from(settings),
                settings.durationValue("retention.incomplete-grace", Duration.ofDays(2)), settings.get("backup.target", "file:backups"), s3,
                org.dataversebackup.snapshot.S3ObjectLock.from(settings)));

        // restore
        registry.bind(name("restoreWriterPool"), ResizablePool.class, writerPool);
        Supplier<RestoreSettings> restoreSettings = Suppliers.memorize(() -> RestoreSettings.from(settings));
        registry.bind(name("restorePlanner"), new RestorePlanner(client, s3, restoreSettings, writerPool));

        // diff: snapshots, or a snapshot and the live rows read as the backup reads them
        registry.bind(name("diffSteps"), new DiffSteps(client, s3, snapshotKeys, PagedRecords.prefer(pageSize(settings),
                settings.get("backup.annotations", BACKUP_ANNOTATIONS))));

        // preflight: signs in with the environment's token source and asks Dataverse through its client
        // (the same retries as the jobs, so that a 429 is waited out rather than failing the check)
        Preflight preflight = new Preflight(auth, () -> tokens, client, settings.list("backup.tables"),
                settings.list("backup.exclude"), extraAccounts);
        registry.bind(name("preflightSteps"), new PreflightSteps(preflight));
    }

    private String name(String bean) {
        return BeanNames.of(environment, bean);
    }

    private static int pageSize(Settings settings) {
        int size = positive(settings, "backup.page-size", WebApiLimits.MAX_PAGE_SIZE);
        if (size > WebApiLimits.MAX_PAGE_SIZE) {
            throw new ConfigurationException(settings.keyName("backup.page-size") + " is at most "
                    + WebApiLimits.MAX_PAGE_SIZE + ", the Web API's largest page.");
        }
        return size;
    }

    /** A size in bytes: a number, or with KB, MB or GB (1024-based); unset: no limit. */
    static long byteSize(Settings settings, String key) {
        Optional<String> value = settings.optional(key);
        if (value.isEmpty() || value.get().isBlank()) {
            return Long.MAX_VALUE;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+)\\s*(B|KB|MB|GB)?\\s*").matcher(value.get());
        if (!m.matches()) {
            throw new ConfigurationException(settings.keyName(key) + " is '" + value.get() + "'; expected a size in bytes,"
                    + " or with KB, MB or GB, e.g. 500MB");
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "KB" -> 1024L;
            case "MB" -> 1024L * 1024;
            case "GB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    private static int positive(Settings settings, String key, int defaultValue) {
        int value = settings.intValue(key, defaultValue);
        if (value < 1) {
            throw new ConfigurationException("Setting '" + settings.keyName(key) + "' must be at least 1.");
        }
        return value;
    }

    /** A registry entry created on first lookup. */
    static <T> Supplier<Object> lazy(Supplier<T> factory) {
        Supplier<T> once = Suppliers.memorize(factory);
        return once::get;
    }

    @Override
    protected void doStop() {
        tablePool.shutdownNow();
        partitionPool.shutdownNow();
        writerPool.shutdownNow();

    }
}
