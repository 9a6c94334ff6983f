package org.dataversebackup.camel;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * The library's routes (the project's {@code routes/templates/}, bundled as
 * {@code classpath:dataverse-backup/routes/}): error handling, the events route and the route
 * templates; and the job routes of each environment, created from the templates as
 * {@code dataverse-backup.<environment>.<template>}.
 */
final class DataverseRoutes {
    static final String LOCATION = "classpath:dataverse-backup/routes/";
    static final List<String> FILES = List.of("errors.camel.yaml", "events.camel.yaml", "check.camel.yaml",
            "backup.camel.yaml", "restore.camel.yaml", "restore-inbox.camel.yaml", "diff.camel.yaml");
    /** The templates every environment gets a route of (its jobs); schedules and inboxes are the user's choice. */
    static final List<String> JOB_TEMPLATES = List.of("check", "backup", "backup-table", "snapshot-write",
            "restore", "restore-table", "restore-second-pass", "restore-links", "diff");

    private DataverseRoutes() {
    }

    static void load(CamelContext context) {
        Resource[] resources = FILES.stream()
                .map(file -> PluginHelper.getResourceLoader(context).resolveResource(LOCATION + file))
                .toArray(Resource[]::new);
        try {
            PluginHelper.getRoutesLoader(context).loadRoutes(resources);
        } catch (Exception e) {
            throw new IllegalStateException("The dataverse-backup routes could not be loaded: " + e.getMessage(), e);
        }
    }

    /** The job routes of one environment: {@code direct:dataverse-backup.<environment>.backup} and the others. */
    static void addEnvironment(CamelContext context, String environment) {
        for (String template : JOB_TEMPLATES) {
            TemplatedRouteBuilder.builder(context, BeanNames.PREFIX + template)
                    .routeId(BeanNames.of(environment, template))
                    .parameter("environment", environment)
                    .add();
        }
    }

    /** The endpoint of an environment's job ({@code backup}, {@code restore}, {@code check}, {@code diff}). */
    static String jobEndpoint(String environment, String job) {
        return "direct:" + BeanNames.of(environment, job);
    }
}
