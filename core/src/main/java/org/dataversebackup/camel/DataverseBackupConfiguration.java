package org.dataversebackup.camel;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.function.Suppliers;
import org.dataversebackup.backup.S3Settings;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.AccessTokens;
import org.dataversebackup.restore.InboxRepository;
import org.dataversebackup.restore.InboxLimits;
import org.dataversebackup.restore.RestoreInbox;
import org.dataversebackup.restore.RestoreSteps;
import org.dataversebackup.snapshot.S3ClientFactory;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sets a CamelContext up for dataverse-backup: the {@code dataverse:} component, the beans of
 * every configured Dataverse environment ({@code dataverse.url}/{@code auth.*} for the
 * {@value Settings#DEFAULT_ENVIRONMENT} one, {@code dataverse.environments.<name>.*} for others),
 * the library's routes and route templates, and each environment's job routes. With camel-main:
 * {@code camel.main.configuration-classes = org.dataversebackup.camel.DataverseBackupConfiguration};
 * elsewhere {@code new DataverseBackupConfiguration().configure(context)} before the context starts.
 *
 * <p>Everything that needs settings is built on first use, so a context that never backs up needs
 * no Dataverse settings, and a missing setting is reported when it is needed, naming the key.
 * Nothing JVM-wide is set.
 */
public class DataverseBackupConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        Registry registry = context.getRegistry();
        if (context.hasComponent(DataverseComponent.SCHEME) == null) {
            context.addComponent(DataverseComponent.SCHEME, new DataverseComponent());
        }

        Supplier<S3Client> s3 = Suppliers.memorize(() -> s3Client(settings));
        registry.bind(BeanNames.S3_CLIENT, S3Client.class, EnvironmentBeans.lazy(s3));
        registry.bind(BeanNames.S3_SETTINGS, S3Settings.class, EnvironmentBeans.lazy(() -> new S3Settings(BeanNames.S3_CLIENT,
                settings.optional("s3.part-size").map(Long::parseLong).orElse(16L * 1024 * 1024),
                settings.optional("s3.sse"), settings.optional("s3.sse-kms-key-id"))));
        registry.bind(BeanNames.RESTORE_STEPS, new RestoreSteps());
        registry.bind(BeanNames.RESTORE_INBOX, new RestoreInbox(InboxLimits.from(settings)));
        registry.bind(BeanNames.INBOX_REPOSITORY, new InboxRepository(settings.optional("restore.inbox-repository").map(Path::of)));
        registry.bind(BeanNames.EVENTS, new CompletionEvents());

        for (String environment : settings.environments()) {
            EnvironmentBeans.bind(context, environment, settings.forEnvironment(environment), s3);
        }
        // the default environment's token beans also under their short names, for ESB routes
        // written before there were several environments (#dataverseToken)
        String defaults = Settings.DEFAULT_ENVIRONMENT;
        registry.bind(BeanNames.TOKEN_PROCESSOR, registry.lookupByName(BeanNames.of(defaults, BeanNames.TOKEN_PROCESSOR)));
        registry.bind(BeanNames.ACCESS_TOKENS, AccessTokens.class,
                registry.lookupByNameAndType(BeanNames.of(defaults, BeanNames.ACCESS_TOKENS), AccessTokens.class));

        DataverseRoutes.load(context);
        for (String environment : settings.environments()) {
            DataverseRoutes.addEnvironment(context, environment);
        }
    }

    /** An S3 client from the {@code s3.*} settings (for code that reads snapshots without routes). */
    public static S3Client s3Client(Settings settings) {
        return S3ClientFactory.create(settings.get("s3.region", "us-east-1"), settings.optional("s3.endpoint"),
                settings.booleanValue("s3.path-style", false), settings.optional("s3.access-key"),
                settings.optional("s3.secret-key"), settings.booleanValue("s3.flexible-checksums", true),
                org.dataversebackup.snapshot.S3ObjectLock.from(settings));
    }
}
