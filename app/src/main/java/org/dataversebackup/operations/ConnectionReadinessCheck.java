package org.dataversebackup.operations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.dataversebackup.camel.BeanNames;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.snapshot.SnapshotTarget;

/**
 * Ready when the next backup could run: a token can be obtained and Dataverse answers WhoAmI (the
 * same first request a backup sends), and a folder target can be written. S3 targets are not
 * probed here (a write per health call would cost requests and leave objects). Each call asks
 * Dataverse once, so poll it no more often than every few seconds.
 */
public final class ConnectionReadinessCheck extends AbstractHealthCheck {
    private final String environment;

    public ConnectionReadinessCheck(String environment) {
        super("dataverse-backup", "connection-" + environment);
        this.environment = environment;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("environment", environment);
        try {
            DataverseClient client = getCamelContext().getRegistry()
                    .lookupByNameAndType(BeanNames.of(environment, BeanNames.DATAVERSE_CLIENT), DataverseClient.class);
            builder.detail("dataverse.url", client.environmentUrl().toString());
            client.firstContact("WhoAmI");
        } catch (RuntimeException e) {
            builder.message("Dataverse cannot be used: " + e.getMessage()).down();
            return;
        }
        Settings settings = Settings.of(getCamelContext()).forEnvironment(environment);
        SnapshotTarget target = SnapshotTarget.parse(settings.get("backup.target", "file:backups"));
        if (target instanceof SnapshotTarget.Folder folder) {
            Path root = folder.root().toAbsolutePath();
            builder.detail("target", root.toString());
            if (!writable(root)) {
                builder.message("The backup target " + root + " cannot be written").down();
                return;
            }
        }
        builder.up();
    }

    /** The folder, or the nearest ancestor that exists (a backup creates the rest), can be written. */
    private static boolean writable(Path folder) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.isDirectory(existing) && Files.isWritable(existing);
    }
}
