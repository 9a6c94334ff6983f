package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BackupPlannerTest {
    private static BackupPlanner planner(int pageSize) {
        return new BackupPlanner(() -> null, null, null, null, List.of("*"), List.of(), "file:backups", Optional.empty(),
                Optional.empty(), pageSize, () -> null, java.nio.file.Path.of("work"), "wait");
    }

    @Test
    void environmentNamesComeFromTheHost() {
        assertThat(BackupPlanner.environmentName(URI.create("https://contoso.crm.dynamics.com"))).isEqualTo("contoso");
        assertThat(BackupPlanner.environmentName(URI.create("https://Contoso-Dev.crm4.dynamics.com"))).isEqualTo("contoso-dev");
        assertThat(BackupPlanner.environmentName(URI.create("https://127.0.0.1:8443"))).isEqualTo("127.0.0.1-8443");
        assertThat(BackupPlanner.environmentName(URI.create("https://localhost"))).isEqualTo("localhost");
    }

    @Test
    void theDefaultParallelismFitsTheHeap() {
        long mb = 1024 * 1024;
        assertThat(planner(5000).tablesThatFitInMemory(256 * mb)).isEqualTo(2);
        assertThat(planner(5000).tablesThatFitInMemory(64 * mb)).isEqualTo(1);
        assertThat(planner(5000).tablesThatFitInMemory(4096 * mb)).isEqualTo(BackupPlanner.MAX_PARALLELISM);
        assertThat(planner(500).tablesThatFitInMemory(256 * mb)).isEqualTo(BackupPlanner.MAX_PARALLELISM);
    }
}
