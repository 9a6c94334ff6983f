package org.dataversebackup.backup;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.dataversebackup.concurrent.ResizablePool;
import org.dataversebackup.config.Selection;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.EnvironmentInfo;
import org.dataversebackup.snapshot.Sha256;
import org.dataversebackup.snapshot.SnapshotCatalog;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * First step of a backup: who and where we are (WhoAmI), which tables are in scope, where the
 * snapshot goes and how many tables are read at once. Starts the {@link SnapshotRun}.
 */
public class BackupPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(BackupPlanner.class);
    /** The exchange property holding what the job holds until {@link #finish(Exchange)}: work folder, lock. */
    static final String HELD_PROPERTY = "dvbBackupHeld";
    static final int MAX_PARALLELISM = 8;
    /** A table being read holds its current page and the next one, received into a buffer as it arrives. */
    static final int PAGES_IN_FLIGHT = 3;
    /** What a row of a wide table can take as JSON with its annotations (accounts: 3 to 5 KB). */
    static final int ROW_BYTES = 4 * 1024;

    private final Supplier<DataverseClient> client;
    private final TableCatalog catalog;
    private final ResizablePool pool;
    private final ResizablePool partitionPool;
    private final List<String> defaultTables;
    private final List<String> exclude;
    private final String defaultTarget;
    private final Optional<String> environmentName;
    private final Optional<Integer> parallelism;
    private final int pageSize;
    private final Supplier<S3Client> s3;
    private final Path workRoot;
    private final BackupLock.WhenBusy whenBusy;

    /**
     * @param workRoot {@code backup.work-dir}: each backup writes its parts in a folder of its own under it
     * @param whenBusy {@code backup.concurrent}: {@code wait} or {@code fail} when the same environment is being
     *                 backed up into the same target
     */
    public BackupPlanner(Supplier<DataverseClient> client, TableCatalog catalog, ResizablePool pool,
            ResizablePool partitionPool, List<String> defaultTables,
            List<String> exclude, String defaultTarget, Optional<String> environmentName, Optional<Integer> parallelism,
            int pageSize, Supplier<S3Client> s3, Path workRoot, String whenBusy) {
        this.pageSize = pageSize;
        this.s3 = s3;
        this.workRoot = workRoot;
        this.whenBusy = BackupLock.WhenBusy.parse(whenBusy);
        this.client = client;
        this.catalog = catalog;
        this.pool = pool;
        this.partitionPool = partitionPool;
        this.defaultTables = defaultTables;
        this.exclude = exclude;
        this.defaultTarget = defaultTarget;
        this.environmentName = environmentName;
        this.parallelism = parallelism;
    }

    /** First step of the job: a table selection that names nothing, or an unknown kind, is refused before anything is called. */
    public void checkSelection(@Header(BackupHeaders.TABLES) String tables, @Header(BackupHeaders.KIND) String kind) {
        requested(tables);
        incremental(kind);
    }

    /** Whether the job takes an incremental snapshot (the preflight then checks what change tracking needs). */
    public boolean incrementalRequested(@Header(BackupHeaders.KIND) String kind) {
        return incremental(kind);
    }

    /** {@code full} (or none) or {@code incremental}. */
    static boolean incremental(String kind) {
        if (kind == null || kind.isBlank() || kind.trim().equalsIgnoreCase(SnapshotManifest.FULL)) {
            return false;
        }
        if (kind.trim().equalsIgnoreCase(SnapshotManifest.INCREMENTAL) || kind.trim().equalsIgnoreCase("incr")) {
            return true;
        }
        throw new org.dataversebackup.config.ConfigurationException("Header " + BackupHeaders.KIND + " is '" + kind
                + "': it is full or incremental.");
    }

    private List<String> requested(String tables) {
        return Selection.parse(tables, "Header " + BackupHeaders.TABLES, "account,contact or *").orElse(defaultTables);
    }

    public List<TableScope> plan(@Header(BackupHeaders.TABLES) String tables, @Header(BackupHeaders.TARGET) String target,
            @Header(BackupHeaders.KIND) String kind, Exchange exchange) {
        boolean incremental = incremental(kind);
        Instant startedAt = Instant.now();
        SnapshotTarget snapshotTarget = SnapshotTarget.parse(target != null && !target.isBlank() ? target : defaultTarget);
        EnvironmentInfo environment = EnvironmentInfo.whoAmI(client.get());
        List<String> requested = requested(tables);
        List<TableScope> scope = catalog.resolve(requested, exclude);
        int threads = parallelism.orElseGet(() -> Math.min(environment.parallelism(MAX_PARALLELISM, 4,
                client.get().activeConnections().size()), tablesThatFitInMemory(Runtime.getRuntime().maxMemory())));
        if (parallelism.isPresent() && threads > tablesThatFitInMemory(Runtime.getRuntime().maxMemory())) {
            LOG.warn("backup.parallelism={} with {} MB of heap: {} pages of {} rows may be in memory at once; if the"
                    + " backup runs out of memory, give the JVM more heap (-Xmx) or lower backup.parallelism",
                    threads, Runtime.getRuntime().maxMemory() >> 20, threads * PAGES_IN_FLIGHT, pageSize);
        }
        pool.resize(threads);
        partitionPool.resize(threads);

        SnapshotManifest.Source source = new SnapshotManifest.Source(client.get().environmentUrl().toString(),
                environment.organizationId(), environmentName.orElseGet(() -> environmentName(client.get().environmentUrl())));
        SnapshotStore store = SnapshotStore.of(snapshotTarget, s3);
        String what = source.environment() + " into " + snapshotTarget.locationOf("");
        List<AutoCloseable> held = new ArrayList<>();
        exchange.setProperty(HELD_PROPERTY, held);
        held.add(BackupLock.acquire(lockFile(snapshotTarget, source.environment()), whenBusy, what, "starting at " + startedAt));
        // read under the lock: the newest complete snapshot cannot change while this backup runs
        Optional<IncrementalBase> newest = incremental ? IncrementalBase.latest(store, source.environment())
                : previousSnapshot(store, source.environment());
        Optional<IncrementalBase> base = incremental ? newest : Optional.empty();
        if (incremental && base.isEmpty()) {
            LOG.info("No complete snapshot of {} in {} to continue from: this backup takes a full snapshot", source.environment(),
                    snapshotTarget.locationOf(""));
        }
        String snapshotId = claimNewSnapshot(store, source.environment(), startedAt, base.isPresent() ? "incr" : "full");
        WorkFolder work = WorkFolder.claim(workRoot, snapshotId);
        held.add(0, work);
        SnapshotRun run = new SnapshotRun(snapshotId, startedAt, snapshotTarget, source, scope, work.path(), base.orElse(null));
        exchange.setProperty(SnapshotRun.PROPERTY, run);
        if (!incremental) {
            newest.ifPresent(run::previous);
        }
        Map<String, Integer> pausesAtStart = client.get().pausesByLimit();
        run.throttledBy(() -> client.get().limitedBySince(pausesAtStart));
        TableTotals.of(client.get(), scope).forEach((table, rows) -> {
            if (scope.stream().anyMatch(t -> t.logicalName().equals(table))) {
                run.table(table).expectedRecords(rows);
            }
        });
        LOG.info("Backup {}: {} tables ({}) to {}, {} at a time{}", run.snapshotId(), scope.size(),
                abbreviate(scope), run.location(), threads, base.map(b -> ", the changes since " + b.snapshotId()).orElse(""));
        return scope;
    }

    /**
     * For a full backup: the newest complete snapshot before it, whose delta tokens spare a
     * partitioned read of a change-tracked table the read of every key. Only an optimisation: when
     * the target cannot be read for it, the backup goes on without it.
     */
    private static Optional<IncrementalBase> previousSnapshot(SnapshotStore store, String environment) {
        try {
            return IncrementalBase.latest(store, environment);
        } catch (RuntimeException e) {
            LOG.debug("No previous snapshot of {} for delta tokens ({}): a partitioned read reads every key for its token",
                    environment, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Last step of the job, however it ended (the route's doFinally): a failed backup records why
     * in its snapshot folder (for {@code snapshots --all}); the lock and the work folder are freed.
     */
    public void finish(Exchange exchange) {
        SnapshotRun run = exchange.getProperty(SnapshotRun.PROPERTY, SnapshotRun.class);
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (run != null) {
            run.end();
            if (failure != null) {
                recordFailure(run, failure);
            }
        }
        @SuppressWarnings("unchecked")
        List<AutoCloseable> held = exchange.getProperty(HELD_PROPERTY, List.class);
        exchange.removeProperty(HELD_PROPERTY);
        if (held != null) {
            for (AutoCloseable resource : held) {
                try {
                    resource.close();
                } catch (Exception e) {
                    LOG.warn("Backup {}: could not free {}: {}", run == null ? "" : run.snapshotId(), resource, e.getMessage());
                }
            }
        }
    }

    private void recordFailure(SnapshotRun run, Exception failure) {
        try {
            Map<String, String> note = new LinkedHashMap<>();
            note.put("snapshotId", run.snapshotId());
            note.put("failedAt", Instant.now().toString());
            note.put("reason", String.valueOf(rootMessage(failure)));
            SnapshotStore store = SnapshotStore.of(run.target(), s3);
            store.write(run.snapshotKey() + "/" + SnapshotCatalog.FAILURE_NOTE, SnapshotJson.MAPPER.writeValueAsBytes(note));
            if (run.target() instanceof SnapshotTarget.Folder folder) {
                removeUnfinishedFiles(folder.root().resolve(run.snapshotKey()));
            }
        } catch (Exception e) {
            LOG.warn("Backup {} failed and its failure could not be recorded in {}: {}", run.snapshotId(), run.location(),
                    e.getMessage());
        }
    }

    /** Files the file component was still writing ({@code .writing-*}) when the backup failed. */
    private static void removeUnfinishedFiles(Path snapshotFolder) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(snapshotFolder)) {
            return;
        }
        try (var files = java.nio.file.Files.walk(snapshotFolder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(".writing-")).toList()) {
                java.nio.file.Files.deleteIfExists(file);
            }
        }
    }

    private static String rootMessage(Throwable failure) {
        String message = failure.getMessage();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TableBackupException || t.getCause() == null) {
                return t.getMessage() != null ? t.getMessage() : message;
            }
        }
        return message;
    }

    /**
     * One backup per environment and target at a time: the lock file is in the target folder
     * (seen by every process that writes there) or, for S3, in the work folder of this host.
     */
    private Path lockFile(SnapshotTarget target, String environment) {
        if (target instanceof SnapshotTarget.Folder folder) {
            return folder.root().resolve(environment).resolve(".backup.lock");
        }
        SnapshotTarget.S3 bucket = (SnapshotTarget.S3) target;
        return workRoot.resolve(".locks").resolve(Sha256.hex((bucket.locationOf(environment))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16) + ".lock");
    }

    /** A new snapshot id whose folder did not exist: claimed, so that no other backup writes into it. */
    private static String claimNewSnapshot(SnapshotStore store, String environment, Instant startedAt, String kind) {
        for (int attempt = 0; attempt < 5; attempt++) {
            String id = SnapshotRun.newId(startedAt, kind);
            if (store.claim(environment + "/" + id)) {
                return id;
            }
            LOG.info("Snapshot folder {} exists already; taking another id", store.location(environment + "/" + id));
        }
        throw new IllegalStateException("Could not claim a new snapshot folder under " + store.location(environment)
                + " after 5 attempts");
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
