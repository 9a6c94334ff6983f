package org.dataversebackup.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken route file or a missing setting is one line naming the file and line, or the key. */
class StartupFailuresTest {
    @TempDir
    Path folder;

    private ConfigurationException startWithRoute(String yaml) throws Exception {
        Path routes = Files.createDirectories(folder.resolve("routes"));
        Files.writeString(routes.resolve("mine.camel.yaml"), yaml);
        AppLocations locations = AppLocations.resolve(null, routes, null, folder);
        try (CamelApplication app = CamelApplication.create(locations, Map.of())) {
            app.start();
            throw new AssertionError("started with a broken route file");
        } catch (ConfigurationException e) {
            return e;
        }
    }

    @Test
    void aYamlSyntaxErrorNamesTheFileAndTheLineInOneLine() throws Exception {
        ConfigurationException e = startWithRoute("""
                - route:
                    id: mine
                    from:
                      uri: timer:x
                      steps:
                        - log: "hi"
                       - to: log:x
                """);
        assertThat(e.getMessage()).doesNotContain("\n").startsWith("Route file " + folder.resolve("routes/mine.camel.yaml")
                + ", line 7: expected <block end>").contains("(while parsing a block mapping from line 4)");
    }

    @Test
    void anUnknownStepNamesTheFileAndTheLine() throws Exception {
        ConfigurationException e = startWithRoute("""
                - route:
                    id: mine
                    from:
                      uri: timer:x
                      steps:
                        - lg: "hi"
                """);
        assertThat(e.getMessage()).doesNotContain("\n")
                .startsWith("Route file " + folder.resolve("routes/mine.camel.yaml") + ", line 6: ").contains("lg");
    }

    @Test
    void aMissingSettingNamesTheKeyAndWhereToSetIt() throws Exception {
        ConfigurationException e = startWithRoute("""
                - route:
                    id: mine
                    from:
                      uri: "timer:{{no.such.setting}}"
                      steps:
                        - log: "hi"
                """);
        assertThat(e.getMessage()).isEqualTo("Setting 'no.such.setting' is not set, and a route needs it: set it in"
                + " config/application.properties, as -Dno.such.setting=... or as the environment variable NO_SUCH_SETTING.");
    }
}
