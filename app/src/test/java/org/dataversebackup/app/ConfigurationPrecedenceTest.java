package org.dataversebackup.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.dataversebackup.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layers, lowest first: the jar's defaults, config/ of the working folder, --config,
 * (environment variables: CommandLineIT), -D system properties, the command line; in each folder
 * application.properties &lt; application-&lt;profile&gt;.properties.
 */
class ConfigurationPrecedenceTest {
    @TempDir
    Path folder;

    private CamelApplication app;

    @AfterEach
    void clear() {
        System.clearProperty("backup.page-size");
        if (app != null) {
            app.close();
        }
    }

    private Settings settings(String profile) throws Exception {
        return settings(profile, null, Map.of());
    }

    private Settings settings(String profile, Path configOption, Map<String, String> commandLine) throws Exception {
        Path config = Files.createDirectories(folder.resolve("config"));
        Files.writeString(config.resolve("application.properties"),
                "backup.target = file:base\nbackup.tables = account\nbackup.page-size = 100\n");
        Files.writeString(config.resolve("application-nightly.properties"), "backup.target = s3://nightly/x\n");
        Path routes = Files.createDirectories(folder.resolve("routes"));
        Files.writeString(routes.resolve("empty.camel.yaml"), "- routeConfiguration:\n    id: none\n");
        AppLocations locations = AppLocations.resolve(configOption, routes, profile, folder);
        app = CamelApplication.create(locations, commandLine).start();
        return Settings.of(app.context());
    }

    @Test
    void theProfileFileWinsOverTheBaseFile() throws Exception {
        Settings settings = settings("nightly");
        assertThat(settings.required("backup.target")).isEqualTo("s3://nightly/x");
        assertThat(settings.required("backup.tables")).isEqualTo("account");
    }

    @Test
    void withoutAProfileTheBaseFileApplies() throws Exception {
        assertThat(settings(null).required("backup.target")).isEqualTo("file:base");
    }

    @Test
    void aSystemPropertyWinsOverTheFiles() throws Exception {
        System.setProperty("backup.page-size", "250");
        assertThat(settings("nightly").intValue("backup.page-size", 0)).isEqualTo(250);
    }

    @Test
    void theDefaultsInTheJarLieUnderTheUsersFile() throws Exception {
        Settings settings = settings(null);
        assertThat(settings.required("restore.inbox")).as("only in the jar's defaults").isEqualTo("restore-inbox");
        assertThat(settings.required("backup.tables")).as("the user's file").isEqualTo("account");
    }

    @Test
    void aFileNamedByConfigWinsOverTheWorkingFoldersConfig() throws Exception {
        Path file = folder.resolve("override.properties");
        Files.writeString(file, "backup.tables = contact\n");
        Settings settings = settings(null, file, Map.of());
        assertThat(settings.required("backup.tables")).isEqualTo("contact");
        assertThat(settings.required("backup.target")).as("config/ still applies below it").isEqualTo("file:base");
    }

    @Test
    void theCommandLineWinsOverSystemProperties() throws Exception {
        System.setProperty("backup.page-size", "250");
        assertThat(settings(null, null, Map.of("backup.page-size", "300")).intValue("backup.page-size", 0)).isEqualTo(300);
    }
}
