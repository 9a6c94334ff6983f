package org.dataversebackup.restore;

import org.dataversebackup.concurrent.ResizablePool;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.function.Suppliers;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.DataverseClient;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The beans of the restore routes ({@code routes/restore*.camel.yaml}). Settings are read when a
 * restore runs, so a service that never restores needs none of them.
 */
public final class RestoreBeans {
    private RestoreBeans() {
    }

    public static void bind(Registry registry, Settings settings, Supplier<DataverseClient> client, Supplier<S3Client> s3) {
        // a short queue: the snapshot is read only as fast as chunks are written
        ResizablePool pool = ResizablePool.bounded("restore-writer", 8);
        registry.bind("restoreWriterPool", ResizablePool.class, pool);
        Supplier<RestoreSettings> restoreSettings = Suppliers.memorize(() -> RestoreSettings.from(settings));
        registry.bind("restorePlanner", new RestorePlanner(client, s3, restoreSettings, pool));
        registry.bind("restoreSteps", new RestoreSteps());
        registry.bind("restoreInbox", new RestoreInbox());
        // keys of the inbox requests that ran successfully; a file, so it survives restarts. Created
        // when the inbox route is (only the 'run' service starts it), so other commands write nothing
        registry.bind("restoreInboxRepository", IdempotentRepository.class, new InboxRepository(() -> Path.of(
                settings.get("restore.inbox-repository", Path.of(settings.get("restore.inbox", "restore-inbox"),
                        ".processed-requests").toString())).toFile()));
    }
}
