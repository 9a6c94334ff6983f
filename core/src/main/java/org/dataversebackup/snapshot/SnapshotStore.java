package org.dataversebackup.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.dataversebackup.config.ConfigurationException;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Access to the snapshots in a target, for listing, verifying and restoring: the folders (or key
 * prefixes) under the target, and the files of a snapshot. Data, schemas and manifests are written
 * through the backup routes (Camel's file and aws2-s3 components); the store itself only claims a
 * new snapshot's folder and records why a snapshot is incomplete.
 */
public interface SnapshotStore {

    /** Names of the sub-folders of a folder of the target ({@code ""} is the target itself). */
    List<String> folders(String folder);

    /** The paths of every file under a folder of the target, relative to it ({@code a/b.json}), hidden ones included. */
    List<String> files(String folder);

    /** Opens a file of the target, or empty when it does not exist. */
    Optional<InputStream> open(String path);

    /** Where a path is, as shown to users. */
    String location(String path);

    /**
     * Claims the folder (key prefix) of a new snapshot: false when anything is there already, so
     * that two backups never share a folder.
     */
    boolean claim(String key);

    /** Writes a small file (a note beside the data), replacing it. */
    void write(String path, byte[] content);

    /**
     * Deletes a snapshot's folder (key prefix) and everything in it, the manifest first: a snapshot
     * whose deletion is interrupted is incomplete, never complete with files missing.
     */
    void delete(String key);

    static SnapshotStore of(SnapshotTarget target, java.util.function.Supplier<S3Client> s3) {
        return target instanceof SnapshotTarget.S3 bucket ? new S3Store(s3.get(), bucket) : new FolderStore((SnapshotTarget.Folder) target);
    }

    record FolderStore(SnapshotTarget.Folder target) implements SnapshotStore {
        @Override
        public List<String> folders(String folder) {
            Path dir = target.root().resolve(folder);
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> children = Files.list(dir)) {
                return children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                        .filter(name -> !name.startsWith(".")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public List<String> files(String folder) {
            Path dir = target.root().resolve(folder);
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/')).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Optional<InputStream> open(String path) {
            try {
                return Optional.of(Files.newInputStream(target.root().resolve(path)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + location(path) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String location(String path) {
            return target.root().resolve(path).toString();
        }

        @Override
        public boolean claim(String key) {
            Path folder = target.root().resolve(key);
            try {
                Files.createDirectories(folder.getParent());
                OwnerOnly.folder(folder.getParent()); // the environment's folder: our layout, our permissions
                Files.createDirectory(folder);
                OwnerOnly.folder(folder);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                // found before any table is read: the target is unusable as configured
                throw new ConfigurationException(DiskSpace.describe("The backup target cannot be used: cannot create the"
                        + " snapshot folder " + folder, folder, e), e);
            }
        }

        @Override
        public void delete(String key) {
            Path folder = target.root().resolve(key);
            try {
                Files.deleteIfExists(folder.resolve(SnapshotManifest.FILE_NAME));
                if (Files.isDirectory(folder)) {
                    try (Stream<Path> all = Files.walk(folder)) {
                        for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.delete(path);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete " + folder + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void write(String path, byte[] content) {
            Path file = target.root().resolve(path);
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, content);
                OwnerOnly.file(file);
            } catch (IOException e) {
                throw new UncheckedIOException(DiskSpace.describe("Cannot write " + file, file, e), e);
            }
        }
    }

    record S3Store(S3Client s3, SnapshotTarget.S3 target) implements SnapshotStore {
        @Override
        public void delete(String key) {
            String prefix = target.key(key) + "/";
            try {
                s3.deleteObject(software.amazon.awssdk.services.s3.model.DeleteObjectRequest.builder().bucket(target.bucket())
                        .key(prefix + SnapshotManifest.FILE_NAME).build());
                for (var page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(target.bucket()).prefix(prefix)
                        .build())) {
                    for (var object : page.contents()) {
                        s3.deleteObject(software.amazon.awssdk.services.s3.model.DeleteObjectRequest.builder()
                                .bucket(target.bucket()).key(object.key()).build());
                    }
                }
            } catch (SdkException e) {
                throw new UncheckedIOException(new IOException("Cannot delete " + location(key) + ": " + e.getMessage(), e));
            }
        }

        @Override
        public List<String> folders(String folder) {
            String prefix = folder.isEmpty() ? target.key("") : target.key(folder) + "/";
            List<String> names = new ArrayList<>();
            try {
                for (var page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(target.bucket())
                        .prefix(prefix).delimiter("/").build())) {
                    for (CommonPrefix common : page.commonPrefixes()) {
                        String name = common.prefix().substring(prefix.length()).replaceAll("/$", "");
                        names.add(name);
                    }
                }
            } catch (S3Exception e) {
                if (e.statusCode() >= 400 && e.statusCode() < 500) {
                    throw unusable(e); // wrong keys, no such bucket, no permission: as configured, it never works
                }
                throw new UncheckedIOException(new IOException("Cannot list s3://" + target.bucket() + "/" + prefix
                        + ": " + e.getMessage(), e));
            } catch (SdkException e) {
                throw new UncheckedIOException(new IOException("Cannot list s3://" + target.bucket() + "/" + prefix
                        + ": " + e.getMessage(), e));
            }
            return names.stream().sorted().toList();
        }

        @Override
        public List<String> files(String folder) {
            String prefix = folder.isEmpty() ? (target.prefix().isEmpty() ? "" : target.prefix() + "/") : target.key(folder) + "/";
            List<String> names = new ArrayList<>();
            try {
                for (var page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(target.bucket())
                        .prefix(prefix).build())) {
                    page.contents().forEach(object -> names.add(object.key().substring(prefix.length())));
                }
            } catch (SdkException e) {
                throw new UncheckedIOException(new IOException("Cannot list s3://" + target.bucket() + "/" + prefix
                        + ": " + e.getMessage(), e));
            }
            return names;
        }

        @Override
        public Optional<InputStream> open(String path) {
            try {
                return Optional.of(s3.getObject(GetObjectRequest.builder().bucket(target.bucket()).key(target.key(path)).build()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (SdkException e) {
                throw new UncheckedIOException(new IOException("Cannot read " + location(path) + ": " + e.getMessage(), e));
            }
        }

        @Override
        public String location(String path) {
            return "s3://" + target.bucket() + "/" + target.key(path);
        }

        @Override
        public boolean claim(String key) {
            try {
                return s3.listObjectsV2(ListObjectsV2Request.builder().bucket(target.bucket()).prefix(target.key(key) + "/")
                        .maxKeys(1).build()).contents().isEmpty();
            } catch (SdkException e) {
                // found before any table is read: the target is unusable as configured
                throw unusable(e);
            }
        }

        private ConfigurationException unusable(SdkException e) {
            return new ConfigurationException("The backup target s3://" + target.bucket() + "/" + target.prefix()
                    + " cannot be used: " + e.getMessage() + " Check the bucket name, s3.endpoint, s3.access-key and"
                    + " s3.secret-key (or the AWS credential chain) and that they may list and write the bucket.", e);
        }

        @Override
        public void write(String path, byte[] content) {
            try {
                s3.putObject(PutObjectRequest.builder().bucket(target.bucket()).key(target.key(path)).build(),
                        RequestBody.fromBytes(content));
            } catch (SdkException e) {
                throw new UncheckedIOException(new IOException("Cannot write " + location(path) + ": " + e.getMessage(), e));
            }
        }
    }
}
