package org.dataversebackup.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.dataversebackup.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** application.properties < application-<profile>.properties < -D system properties. */
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
        Path config = Files.createDirectories(folder.resolve("config"));
        Files.writeString(config.resolve("application.properties"),
                "backup.target = file:base\nbackup.tables = account\nbackup.page-size = 100\n");
        Files.writeString(config.resolve("application-nightly.properties"), "backup.target = s3://nightly/x\n");
        Path routes = Files.createDirectories(folder.resolve("routes"));
        Files.writeString(routes.resolve("empty.camel.yaml"), "- routeConfiguration:\n    id: none\n");
        AppLocations locations = AppLocations.resolve(config, routes, profile, folder);
        app = CamelApplication.create(locations, Map.of()).start();
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
}
