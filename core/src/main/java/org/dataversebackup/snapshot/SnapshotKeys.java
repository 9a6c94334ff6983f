package org.dataversebackup.snapshot;

import org.dataversebackup.config.Settings;

/**
 * The keys that protect snapshots, as configured: {@code snapshot.signing-key} /
 * {@code snapshot.verify-key} (tamper evidence) and {@code snapshot.encryption-key} (confidentiality).
 */
public record SnapshotKeys(SnapshotSigning signing, SnapshotEncryption encryption) {

    /** No keys: snapshots are written in the clear and unsigned, and read without checking a signature. */
    public static SnapshotKeys none() {
        return new SnapshotKeys(SnapshotSigning.none(), SnapshotEncryption.none());
    }

    public static SnapshotKeys from(Settings settings) {
        return new SnapshotKeys(SnapshotSigning.of(settings.optional("snapshot.signing-key"),
                settings.optional("snapshot.verify-key")), SnapshotEncryption.of(settings.optional("snapshot.encryption-key")));
    }
}
