package org.dataversebackup.camel;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.function.Suppliers;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.auth.AuthenticationBeans;
import org.dataversebackup.backup.BackupPlanner;
import org.dataversebackup.backup.BackupProgress;
import org.dataversebackup.backup.BackupSteps;
import org.dataversebackup.backup.S3Settings;
import org.dataversebackup.backup.TableCatalog;
import org.dataversebackup.backup.TableReader;
import org.dataversebackup.backup.TableSchemas;
import org.dataversebackup.check.Preflight;
import org.dataversebackup.check.PreflightSteps;
import org.dataversebackup.concurrent.ResizablePool;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.AccessTokens;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.RetryPolicy;
import org.dataversebackup.restore.RestoreBeans;
import org.dataversebackup.snapshot.PartWriter;
import org.dataversebackup.snapshot.S3ClientFactory;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The beans the routes refer to ({@code #name} in the YAML files), created from configuration.
 * Environment choices (file or S3 target, emulator or real Dataverse) are made here, never in
 * routes. Beans are created on first use, so a service that never backs up needs no Dataverse
 * settings, and a missing setting is reported when it is needed, naming the key.
 */
public class DataverseBackupConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        Registry registry = context.getRegistry();

        // #dataverseToken (bearer header processor) and #dataverseAccessTokens, built from auth.* at first use
        AuthenticationBeans.register(context);

        Supplier<DataverseClient> client = Suppliers.memorize(() -> new DataverseClient(
                environmentUrl(settings), settings.get("dataverse.api-version", "9.2"), accessTokens(context),
                new RetryPolicy(settings.intValue("dataverse.max-attempts", 10), Duration.ofSeconds(1),
                        Duration.ofSeconds(60), Duration.ofMinutes(10)),
                Duration.ofSeconds(settings.intValue("dataverse.timeout-seconds", 120)),
                settings.booleanValue("dataverse.compression", true)));
        registry.bind("dataverseClient", DataverseClient.class, lazy(client));

        BackupProgress progress = new BackupProgress(Duration.ofSeconds(settings.intValue("backup.progress-seconds", 10)));
        ResizablePool tablePool = ResizablePool.unbounded("backup-table");
        registry.bind("backupTablePool", ResizablePool.class, tablePool);
        registry.bind("backupPlanner", new BackupPlanner(client, new TableCatalog(client), tablePool, settings.list("backup.tables"), settings.list("backup.exclude"),
                settings.get("backup.target", "file:backups"), settings.optional("backup.environment-name"),
                settings.optionalInt("backup.parallelism"), pageSize(settings)));
        PartWriter partWriter = new PartWriter(Path.of(settings.get("backup.work-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "dataverse-backup").toString())));
        registry.bind("tableReader", new TableReader(client, pageSize(settings),
                positive(settings, "backup.chunk-records", 50_000),
                settings.get("backup.annotations", "Microsoft.Dynamics.CRM.lookuplogicalname,"
                        + "Microsoft.Dynamics.CRM.associatednavigationproperty"), progress, partWriter));
        registry.bind("backupSteps", new BackupSteps(new TableSchemas(client), progress));

        registry.bind("s3Client", S3Client.class, lazy(() -> S3ClientFactory.create(settings.get("s3.region", "us-east-1"),
                settings.optional("s3.endpoint"), settings.booleanValue("s3.path-style", false),
                settings.optional("s3.access-key"), settings.optional("s3.secret-key"),
                settings.booleanValue("s3.flexible-checksums", true))));
        registry.bind("s3Settings", S3Settings.class, lazy(() -> new S3Settings("s3Client",
                settings.optional("s3.part-size").map(Long::parseLong).orElse(16L * 1024 * 1024),
                settings.optional("s3.sse"), settings.optional("s3.sse-kms-key-id"))));

        // --- Restore (issue 7): planner, steps, writer pool, inbox and its repository ---------------
        RestoreBeans.bind(registry, settings, client, () -> registry.lookupByNameAndType("s3Client", S3Client.class));
        // --- end of restore ---------------------------------------------------------------------

        preflightBeans(context, settings, registry, client);
    }

    // --- preflight check (issue 5) ---------------------------------------------------------------
    // #preflightSteps for routes/check.camel.yaml, the backup route and restores: the check signs in
    // with the application's token source and asks Dataverse through the application's client (the
    // same retries as the jobs, so that a 429 is waited out rather than failing the check).
    private static void preflightBeans(CamelContext context, Settings settings, Registry registry,
            Supplier<DataverseClient> client) {
        Preflight preflight = new Preflight(Suppliers.memorize(() -> AuthSettings.from(settings)),
                () -> accessTokens(context), client, settings.list("backup.tables"), settings.list("backup.exclude"));
        registry.bind("preflightSteps", new PreflightSteps(preflight));
    }

    private static URI environmentUrl(Settings settings) {
        return AuthSettings.environmentUrl(settings.optional(AuthSettings.DATAVERSE_URL).orElse(""));
    }

    private static int pageSize(Settings settings) {
        int size = positive(settings, "backup.page-size", 5000);
        if (size > 5000) {
            throw new ConfigurationException("backup.page-size is at most 5000, the Web API's largest page.");
        }
        return size;
    }

    private static int positive(Settings settings, String key, int defaultValue) {
        int value = settings.intValue(key, defaultValue);
        if (value < 1) {
            throw new ConfigurationException("Setting '" + key + "' must be at least 1.");
        }
        return value;
    }

    private static AccessTokens accessTokens(CamelContext context) {
        AccessTokens tokens = context.getRegistry().findSingleByType(AccessTokens.class);
        if (tokens == null) {
            throw new ConfigurationException("No access token source is configured (auth.mode).");
        }
        return tokens;
    }

    private static <T> Supplier<Object> lazy(Supplier<T> factory) {
        Supplier<T> once = Suppliers.memorize(factory);
        return once::get;
    }
}
