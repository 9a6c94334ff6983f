package org.dataversebackup.app;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.dataversebackup.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code run} service on two or more nodes ({@code cluster.folder}): Camel's file-lock cluster
 * service elects one leader among the nodes that share the folder, and only the leader runs the
 * triggers, the scheduled backups and the restore inbox (a {@link ClusteredRoutePolicy} on those
 * routes). The others stand by, their {@code direct:} and {@code dataverse:} endpoints working, and
 * one of them takes over when the leader stops or dies (the operating system frees a dead
 * process's lock). So a nightly backup is taken once and a dropped restore request runs once.
 * One-shot commands never join the cluster.
 */
final class ServiceCluster {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceCluster.class);
    /** The one leadership the triggers share. */
    static final String NAMESPACE = "dataverse-backup-triggers";

    private ServiceCluster() {
    }

    /** camel-main configuration: joins the cluster when {@code cluster.folder} is set and the triggers run. */
    public static final class Configuration implements CamelConfiguration {
        @Override
        public void configure(CamelContext context) throws Exception {
            joinIfConfigured(context, Settings.of(context));
        }
    }

    static void joinIfConfigured(CamelContext context, Settings settings) throws Exception {
        Optional<String> folder = settings.optional("cluster.folder");
        if (folder.isEmpty() || !settings.booleanValue("service.triggers", true)) {
            return;
        }
        FileLockClusterService cluster = new FileLockClusterService();
        String node = settings.get("cluster.node-id", ProcessHandle.current().pid() + "@" + hostName());
        cluster.setId(node);
        cluster.setRoot(folder.get());
        long checkMillis = settings.durationValue("cluster.check-interval", java.time.Duration.ofSeconds(5)).toMillis();
        cluster.setAcquireLockDelay(checkMillis, TimeUnit.MILLISECONDS);
        cluster.setAcquireLockInterval(checkMillis, TimeUnit.MILLISECONDS);
        context.addService(cluster);
        context.addRoutePolicyFactory(new TriggersOnTheLeader());
        LOG.info("Cluster: node {} shares {}; the schedules and the inbox run on the leader only", node, folder.get());
    }

    /** The routes that start work by themselves: the schedules and the inbox. */
    static boolean trigger(String routeId) {
        return routeId.endsWith(".schedule") || routeId.endsWith(".incremental-schedule") || routeId.endsWith(".inbox")
                || routeId.endsWith(".drill-schedule");
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** Puts the triggers that would start (autoStartup) under the cluster's leadership; a switched-off trigger stays off. */
    private static final class TriggersOnTheLeader implements RoutePolicyFactory {
        @Override
        public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
            if (!trigger(routeId) || !(route instanceof RouteDefinition definition)) {
                return null;
            }
            String autoStartup = definition.getAutoStartup();
            boolean starts = autoStartup == null || Boolean.parseBoolean(context.resolvePropertyPlaceholders(autoStartup));
            if (!starts) {
                return null;
            }
            try {
                return ClusteredRoutePolicy.forNamespace(context, NAMESPACE);
            } catch (Exception e) {
                throw new IllegalStateException("The cluster policy of route " + routeId + " cannot be created", e);
            }
        }
    }
}
