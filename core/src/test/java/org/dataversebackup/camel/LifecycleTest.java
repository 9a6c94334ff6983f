package org.dataversebackup.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.testsupport.EmulatorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token providers, clients and pools live and die with the CamelContext: after a context has been
 * started, used for a backup and stopped 20 times, the thread count is back where it was after the
 * first time (an ESB redeploying its routes must not leak a thread per deployment).
 *
 * <p>Why "after the first time" and not "before": the last stopped context stays reachable until
 * the next one replaces it (a reference outside this project; found while writing this test), and
 * with it the JDK HTTP client's two threads (Java 17's client cannot be closed; its threads end
 * once it is unreachable).
 */
class LifecycleTest {
    /** Threads the JVM keeps for every library (shared pools, connection keep-alive), not ours to stop. */
    private static final List<String> JVM_WIDE = List.of("ForkJoinPool.commonPool", "Keep-Alive-Timer", "process reaper",
            "Common-Cleaner", "Attach Listener", "Signal Dispatcher", "Finalizer", "Reference Handler", "surefire",
            "InnocuousThread", "idle-connection-reaper", "sdk-async-response", "awaitility", "dataverse-emulator",
            "HTTP-Dispatcher");
    private static DataverseEmulator emulator;

    @TempDir
    static Path folder;

    @BeforeAll
    static void startEmulator() {
        emulator = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(3, 1, 1)).start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Test
    void startingAndStoppingAContextTwentyTimesLeavesTheThreadCountWhereItWas() throws Exception {
        backUpOnce(); // the JVM's own one-time threads (class loading, shared pools) start here
        List<String> before = ourThreads();
        for (int i = 0; i < 20; i++) {
            backUpOnce();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            System.gc(); // the JDK's HTTP client ends its threads once the client is unreachable
            assertThat(ourThreads()).as("threads after 20 contexts; before: %s", before).hasSizeLessThanOrEqualTo(before.size());
        });
    }

    private static void backUpOnce() throws Exception {
        CamelContext context = new DefaultCamelContext();
        EmulatorSettings.apply(context, EmulatorSettings.of("crm", emulator));
        context.getPropertiesComponent().addOverrideProperty("backup.target", "file:" + folder);
        new DataverseBackupConfiguration().configure(context);
        context.start();
        try {
            Exchange exchange = context.createProducerTemplate().request("dataverse:backup?environment=crm&tables=account", e -> { });
            assertThat(exchange.getException()).isNull();
        } finally {
            context.stop();
        }
    }

    /**
     * Our live threads, a JDK HTTP client counted once: its worker pool is a cached pool whose
     * idle threads linger a minute, so how many workers a client has says nothing about a leak;
     * how many clients are alive does.
     */
    private static List<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> JVM_WIDE.stream().noneMatch(name::startsWith))
                .map(name -> name.replaceAll("^(HttpClient-\\d+)-.*$", "$1"))
                .distinct().sorted().toList();
    }
}
