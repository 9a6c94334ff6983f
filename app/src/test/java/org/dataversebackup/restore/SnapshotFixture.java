package org.dataversebackup.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.backup.TableCatalog;
import org.dataversebackup.backup.TableSchemas;
import org.dataversebackup.backup.TableScope;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.EnvironmentInfo;
import org.dataversebackup.dataverse.PagedRecords;
import org.dataversebackup.snapshot.PartFile;
import org.dataversebackup.snapshot.PartWriter;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;

/**
 * Writes a snapshot in the documented format with the backup's own building blocks (table
 * catalog, schema reader, paged reads with the lookup annotations, part writer), without the
 * backup routes: the restore tests' source of snapshots.
 */
final class SnapshotFixture {
    static final String PREFER = "odata.maxpagesize=5000,odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname,"
            + "Microsoft.Dynamics.CRM.associatednavigationproperty\"";

    private SnapshotFixture() {
    }

    static DataverseClient client(CamelApplication app) {
        return app.context().getRegistry().lookupByNameAndType("dataverse-backup.default.dataverseClient", DataverseClient.class);
    }

    /** A snapshot of the tables under {@code folder}; its location. */
    static Path backup(CamelApplication app, Path folder, String tables, int chunkRecords) {
        DataverseClient client = client(app);
        EnvironmentInfo environment = EnvironmentInfo.whoAmI(client);
        List<TableScope> scope = new TableCatalog(() -> client).resolve(Arrays.asList(tables.split(",")), List.of());
        Path snapshot = folder.resolve("emulator/" + System.nanoTime() + "-full");
        PartWriter writer = new PartWriter(folder.resolve("fixture-work"));
        List<SnapshotManifest.Table> tablesDone = new ArrayList<>();
        try {
            Files.createDirectories(snapshot.resolve("schema"));
            for (TableScope table : scope) {
                byte[] schema = new TableSchemas(() -> client).read(table);
                Files.write(snapshot.resolve(TableSchemas.path(table)), schema);
                PagedRecords records = new PagedRecords(client, table.entitySetName(), Map.of("Prefer", PREFER), page -> { });
                List<SnapshotManifest.Part> parts = new ArrayList<>();
                long count = 0;
                while (records.hasNext()) {
                    List<byte[]> chunk = new ArrayList<>();
                    while (records.hasNext() && chunk.size() < chunkRecords) {
                        chunk.add(records.next());
                    }
                    PartFile part = writer.write(chunk.iterator(), table.logicalName(), parts.size() + 1);
                    Path target = snapshot.resolve(part.relativePath());
                    Files.createDirectories(target.getParent());
                    Files.move(part.localFile(), target);
                    parts.add(part.toManifestPart());
                    count += part.records();
                }
                tablesDone.add(new SnapshotManifest.Table(table.logicalName(), table.entitySetName(), table.primaryIdAttribute(),
                        count, TableSchemas.path(table), org.dataversebackup.snapshot.Sha256.hex(schema), parts));
            }
            SnapshotManifest manifest = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION,
                    new SnapshotManifest.Tool("dataverse-backup", "test"), snapshot.getFileName().toString(), "full",
                    new SnapshotManifest.Source(client.environmentUrl().toString(), environment.organizationId(), "emulator"),
                    Instant.now().toString(), Instant.now().toString(), tablesDone);
            Files.write(snapshot.resolve(SnapshotManifest.FILE_NAME), SnapshotJson.MAPPER.writeValueAsBytes(manifest));
            return snapshot;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Changes the first saved record of a table that {@code which} accepts, rewriting its part
     * and the manifest's size and SHA-256 of it (a snapshot as the backup would have written it).
     */
    static String tamper(Path snapshot, String table, java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> which,
            java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> change) {
        try {
            Path file = snapshot.resolve(SnapshotManifest.FILE_NAME);
            SnapshotManifest m = SnapshotJson.MAPPER.readValue(file.toFile(), SnapshotManifest.class);
            List<SnapshotManifest.Table> tables = new ArrayList<>();
            String changedId = null;
            for (SnapshotManifest.Table t : m.tables()) {
                if (!t.logicalName().equals(table) || changedId != null) {
                    tables.add(t);
                    continue;
                }
                List<SnapshotManifest.Part> parts = new ArrayList<>();
                for (SnapshotManifest.Part part : t.parts()) {
                    List<byte[]> records = new ArrayList<>();
                    boolean changed = false;
                    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(
                            Files.newInputStream(snapshot.resolve(part.path()))), java.nio.charset.StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            com.fasterxml.jackson.databind.node.ObjectNode record =
                                    (com.fasterxml.jackson.databind.node.ObjectNode) RestoreJson.MAPPER.readTree(line);
                            if (changedId == null && which.test(record)) {
                                change.accept(record);
                                changedId = record.path(t.primaryIdAttribute()).asText();
                                changed = true;
                            }
                            records.add(RestoreJson.MAPPER.writeValueAsBytes(record));
                        }
                    }
                    if (!changed) {
                        parts.add(part);
                        continue;
                    }
                    String name = Path.of(part.path()).getFileName().toString();
                    int number = Integer.parseInt(name.substring("part-".length(), name.indexOf('.')));
                    PartFile rewritten = new PartWriter(snapshot.getParent().resolve("tamper-work")).write(records.iterator(), table, number);
                    Files.move(rewritten.localFile(), snapshot.resolve(part.path()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    parts.add(rewritten.toManifestPart());
                }
                tables.add(new SnapshotManifest.Table(t.logicalName(), t.entitySetName(), t.primaryIdAttribute(), t.records(),
                        t.schema(), t.schemaSha256(), parts));
            }
            Files.write(file, SnapshotJson.MAPPER.writeValueAsBytes(new SnapshotManifest(m.formatVersion(), m.tool(),
                    m.snapshotId(), m.kind(), m.source(), m.startedAt(), m.completedAt(), tables)));
            return changedId;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts another file in place of a table's schema; with {@code fixManifest} the manifest's
     * SHA-256 of it is rewritten to match (as someone who can write to the target could).
     */
    static void replaceSchema(Path snapshot, String table, byte[] content, boolean fixManifest) {
        try {
            Path file = snapshot.resolve(SnapshotManifest.FILE_NAME);
            SnapshotManifest m = SnapshotJson.MAPPER.readValue(file.toFile(), SnapshotManifest.class);
            List<SnapshotManifest.Table> tables = new ArrayList<>();
            for (SnapshotManifest.Table t : m.tables()) {
                if (t.logicalName().equals(table)) {
                    Files.write(snapshot.resolve(t.schema()), content);
                    if (fixManifest) {
                        t = new SnapshotManifest.Table(t.logicalName(), t.entitySetName(), t.primaryIdAttribute(), t.records(),
                                t.schema(), org.dataversebackup.snapshot.Sha256.hex(content), t.parts());
                    }
                }
                tables.add(t);
            }
            Files.write(file, SnapshotJson.MAPPER.writeValueAsBytes(new SnapshotManifest(m.formatVersion(), m.tool(),
                    m.snapshotId(), m.kind(), m.source(), m.startedAt(), m.completedAt(), tables)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of a snapshot folder. */
    static Path copy(Path snapshot, Path target) {
        try (var files = Files.walk(snapshot)) {
            for (Path source : files.toList()) {
                Path to = target.resolve(snapshot.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(source, to);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites the manifest's source organization, as if the snapshot came from another environment. */
    static void fromOrganization(Path snapshot, String organizationId) {
        try {
            Path file = snapshot.resolve(SnapshotManifest.FILE_NAME);
            SnapshotManifest m = SnapshotJson.MAPPER.readValue(file.toFile(), SnapshotManifest.class);
            SnapshotManifest changed = new SnapshotManifest(m.formatVersion(), m.tool(), m.snapshotId(), m.kind(),
                    new SnapshotManifest.Source("https://other.crm.dynamics.com", organizationId, "other"), m.startedAt(),
                    m.completedAt(), m.tables());
            Files.write(file, SnapshotJson.MAPPER.writeValueAsBytes(changed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
