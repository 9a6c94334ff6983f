package org.dataversebackup.backup;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.dataversebackup.concurrent.ResizablePool;
import org.dataversebackup.config.Selection;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.EnvironmentInfo;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First step of a backup: who and where we are (WhoAmI), which tables are in scope, where the
 * snapshot goes and how many tables are read at once. Starts the {@link SnapshotRun}.
 */
public class BackupPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(BackupPlanner.class);
    static final int MAX_PARALLELISM = 8;
    /** A table being read holds its current page and the next one, received into a buffer as it arrives. */
    static final int PAGES_IN_FLIGHT = 3;
    /** What a row of a wide table can take as JSON with its annotations (accounts: 3 to 5 KB). */
    static final int ROW_BYTES = 4 * 1024;

    private final Supplier<DataverseClient> client;
    private final TableCatalog catalog;
    private final ResizablePool pool;
    private final List<String> defaultTables;
    private final List<String> exclude;
    private final String defaultTarget;
    private final Optional<String> environmentName;
    private final Optional<Integer> parallelism;
    private final int pageSize;

    public BackupPlanner(Supplier<DataverseClient> client, TableCatalog catalog, ResizablePool pool, List<String> defaultTables,
            List<String> exclude, String defaultTarget, Optional<String> environmentName, Optional<Integer> parallelism,
            int pageSize) {
        this.pageSize = pageSize;
        this.client = client;
        this.catalog = catalog;
        this.pool = pool;
        this.defaultTables = defaultTables;
        this.exclude = exclude;
        this.defaultTarget = defaultTarget;
        this.environmentName = environmentName;
        this.parallelism = parallelism;
    }

    /** First step of the job: a table selection that names nothing is refused before anything is called. */
    public void checkSelection(@Header(BackupHeaders.TABLES) String tables) {
        requested(tables);
    }

    private List<String> requested(String tables) {
        return Selection.parse(tables, "Header " + BackupHeaders.TABLES, "account,contact or *").orElse(defaultTables);
    }

    public List<TableScope> plan(@Header(BackupHeaders.TABLES) String tables, @Header(BackupHeaders.TARGET) String target,
            Exchange exchange) {
        Instant startedAt = Instant.now();
        SnapshotTarget snapshotTarget = SnapshotTarget.parse(target != null && !target.isBlank() ? target : defaultTarget);
        EnvironmentInfo environment = EnvironmentInfo.whoAmI(client.get());
        List<String> requested = requested(tables);
        List<TableScope> scope = catalog.resolve(requested, exclude);
        int threads = parallelism.orElseGet(() -> Math.min(environment.parallelism(MAX_PARALLELISM, 4),
                tablesThatFitInMemory(Runtime.getRuntime().maxMemory())));
        if (parallelism.isPresent() && threads > tablesThatFitInMemory(Runtime.getRuntime().maxMemory())) {
            LOG.warn("backup.parallelism={} with {} MB of heap: {} pages of {} rows may be in memory at once; if the"
                    + " backup runs out of memory, give the JVM more heap (-Xmx) or lower backup.parallelism",
                    threads, Runtime.getRuntime().maxMemory() >> 20, threads * PAGES_IN_FLIGHT, pageSize);
        }
        pool.resize(threads);

        SnapshotManifest.Source source = new SnapshotManifest.Source(client.get().environmentUrl().toString(),
                environment.organizationId(), environmentName.orElseGet(() -> environmentName(client.get().environmentUrl())));
        SnapshotRun run = new SnapshotRun(startedAt, "full", snapshotTarget, source, scope);
        exchange.setProperty(SnapshotRun.PROPERTY, run);
        LOG.info("Backup {}: {} tables ({}) to {}, {} at a time", run.snapshotId(), scope.size(),
                abbreviate(scope), run.location(), threads);
        return scope;
    }

    /**
     * How many tables can be read at once in this heap: each holds a few pages, and a good part of
     * the heap is kept for everything else. The default parallelism never goes beyond it.
     */
    int tablesThatFitInMemory(long maxHeapBytes) {
        long perTable = (long) PAGES_IN_FLIGHT * pageSize * ROW_BYTES;
        return (int) Math.max(1, Math.min(MAX_PARALLELISM, maxHeapBytes / 2 / perTable));
    }

    /**
     * The folder name of an environment: the first label of its host
     * ({@code contoso.crm.dynamics.com} gives {@code contoso}); an address or localhost keeps its port.
     */
    static String environmentName(URI url) {
        String host = url.getHost();
        boolean address = host.equals("localhost") || host.matches("[0-9.]+") || host.contains(":");
        String name = address ? host + (url.getPort() > 0 ? "-" + url.getPort() : "") : host.split("\\.")[0];
        return name.replaceAll("[^A-Za-z0-9._-]", "-").toLowerCase();
    }

    private static String abbreviate(List<TableScope> scope) {
        List<String> names = scope.stream().map(TableScope::logicalName).toList();
        return names.size() <= 10 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 10)) + ", ... " + (names.size() - 10) + " more";
    }
}
