package org.dataversebackup.restore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.FileColumn;
import org.dataversebackup.dataverse.FileColumnTransfer;
import org.dataversebackup.dataverse.RecordBodyTransfer;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores one file of a file or image column, once its row exists: what the target holds is
 * compared first (downloaded in chunks, only size and SHA-256 kept), and a file with the same size
 * and hash is not uploaded again, so a restore run twice uploads nothing the second time. Otherwise
 * the snapshot's file is checked against the manifest into a local copy (a missing, truncated or
 * tampered file is refused, naming it) and uploaded through {@link FileColumnTransfer}: one PATCH
 * up to 4 MB, the documented block upload above. Images go the same documented way as files,
 * the full-sized image when the snapshot holds it, else the thumbnail it holds.
 */
final class FileRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(FileRestorer.class);
    static final String PASS = "files";

    private final RestoreRun run;
    private final TableState table;

    FileRestorer(RestoreRun run, TableState table) {
        this.run = run;
        this.table = table;
    }

    void restore(SnapshotManifest.FileEntry file) {
        String set = table.manifest().entitySetName();
        UUID id = UUID.fromString(file.id());
        Target target = FileColumn.isRecordBody(table.name(), file.column()) ? new RecordBody(set, id) : new FileColumnValue(set, id);
        Path local = null;
        try {
            if (target.holds(file)) {
                table.filesUnchanged.incrementAndGet();
                return;
            }
            local = run.snapshot().verifiedFile(file, run.journal().attemptDir());
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(local), 1 << 16)) {
                target.upload(file, in);
            }
            table.filesUploaded.incrementAndGet();
        } catch (SnapshotIntegrityException e) {
            failed(file, 0, "", "not restored, the snapshot's file is damaged: " + e.getMessage());
        } catch (DataverseException e) {
            failed(file, e.status(), e.code() == null ? "" : e.code(), e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            failed(file, 0, "", e.getMessage());
        } finally {
            if (local != null) {
                try {
                    Files.deleteIfExists(local);
                } catch (IOException ignored) {
                    // the attempt's work folder goes when the restore ends
                }
            }
        }
    }

    /** Where a stored file goes back to, and how the target's copy is compared. */
    private interface Target {
        /** Whether the target holds this very file: same size and SHA-256 of the content. */
        boolean holds(SnapshotManifest.FileEntry file) throws IOException;

        void upload(SnapshotManifest.FileEntry file, InputStream content) throws IOException;
    }

    /** A file or image column, through the file APIs (a larger file differs after its first chunk: nothing more is read). */
    private final class FileColumnValue implements Target {
        private final String set;
        private final UUID id;
        private final FileColumnTransfer transfer = new FileColumnTransfer(run.client());

        FileColumnValue(String set, UUID id) {
            this.set = set;
            this.id = id;
        }

        @Override
        public boolean holds(SnapshotManifest.FileEntry file) {
            try {
                return same(transfer.download(set, id, file.column(), "full".equals(file.image()), file.size(),
                        java.io.OutputStream.nullOutputStream()), file);
            } catch (FileColumnTransfer.TooLarge larger) {
                return false;
            }
        }

        @Override
        public void upload(SnapshotManifest.FileEntry file, InputStream content) throws IOException {
            transfer.upload(set, table.name(), table.schema().primaryIdAttribute(), id, file.column(), file.fileName(),
                    file.mimeType() == null ? "application/octet-stream" : file.mimeType(), file.size(), content);
        }
    }

    /**
     * An attachment body kept inside its record (a note's documentbody): written back into the
     * record with a PATCH once the record exists (the record was restored without it).
     */
    private final class RecordBody implements Target {
        private final String set;
        private final UUID id;
        private final RecordBodyTransfer transfer = new RecordBodyTransfer(run.client());

        RecordBody(String set, UUID id) {
            this.set = set;
            this.id = id;
        }

        @Override
        public boolean holds(SnapshotManifest.FileEntry file) {
            return same(transfer.download(set, id, file.column(), java.io.OutputStream.nullOutputStream()), file);
        }

        @Override
        public void upload(SnapshotManifest.FileEntry file, InputStream content) throws IOException {
            transfer.upload(set, id, file.column(), file.size(), content);
        }
    }

    private static boolean same(Optional<FileColumnTransfer.Downloaded> there, SnapshotManifest.FileEntry file) {
        return there.isPresent() && there.get().size() == file.size()
                && there.get().sha256().equalsIgnoreCase(file.contentSha256());
    }

    private void failed(SnapshotManifest.FileEntry file, int status, String code, String message) {
        table.filesFailed.incrementAndGet();
        LOG.error("{} {}: the {} file {} was not restored: {}", table.name(), file.id(), file.column(), file.fileName(), message);
        run.failures().add(table.name(), file.id(), "file-failed", status, code, file.column() + ": " + message, PASS);
    }
}
