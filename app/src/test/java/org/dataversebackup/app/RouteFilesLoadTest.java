package org.dataversebackup.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every YAML file in routes/ (the library's templates/ and the service's own) loads, and the whole
 * application starts through camel-main with config/: a broken route file fails the build.
 */
class RouteFilesLoadTest {
    private static final Path PROJECT = Path.of("").toAbsolutePath();

    static List<Path> routeFiles() throws Exception {
        try (Stream<Path> files = Files.walk(PROJECT.resolve("routes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void eachFileDefinesRoutesTemplatesOrRouteConfigurationsWithIds(Path file) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            if (!file.getParent().endsWith("templates")) {
                // the service's routes are made from the library's templates
                new org.dataversebackup.camel.DataverseBackupConfiguration().configure(context);
            }
            int before = context.getRouteDefinitions().size();
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.resolveResource(context, "file:" + file));
            List<RouteDefinition> routes = context.getRouteDefinitions().subList(before, context.getRouteDefinitions().size());
            int configurations = context.getRouteConfigurationDefinitions().size();
            int templates = context.getRouteTemplateDefinitions().size();
            assertThat(routes.size() + configurations + templates).as("%s defines something", file.getFileName()).isPositive();
            assertThat(context.getRouteTemplateDefinitions()).allSatisfy(t -> assertThat(t.getId())
                    .as("every template in %s is named dataverse-backup.*", file.getFileName()).startsWith("dataverse-backup."));
            assertThat(routes).allSatisfy(r -> assertThat(r.hasCustomIdAssigned())
                    .as("every route in %s has an explicit id", file.getFileName()).isTrue());
            context.getRouteConfigurationDefinitions().forEach(c -> assertThat(c.getId())
                    .as("every route configuration in %s has an id", file.getFileName()).isNotBlank());
        }
    }

    @Test
    void theWholeApplicationStartsWithTheProjectRoutesAndConfiguration() throws Exception {
        assertThat(routeFiles()).isNotEmpty();
        AppLocations locations = AppLocations.resolve(null, null, null, PROJECT);
        try (CamelApplication app = CamelApplication.create(locations, Map.of()).start()) {
            ModelCamelContext model = (ModelCamelContext) app.context();
            assertThat(model.getRouteConfigurationDefinitions()).extracting(c -> c.getId())
                    .contains("dataverse-backup.errors", "dataverse-backup.internal");
            assertThat(app.context().getRoutes()).extracting(r -> r.getRouteId()).contains(
                    "dataverse-backup.default.backup", "dataverse-backup.default.restore", "dataverse-backup.default.check",
                    "dataverse-backup.default.schedule", "dataverse-backup.default.inbox", "dataverse-backup.events");
            assertThat(app.context().getStatus().isStarted()).isTrue();
        }
    }
}
