package org.dataversebackup.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.dataversebackup.auth.AuthMode;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.auth.DataverseTokenProvider;
import org.dataversebackup.cli.DataverseBackupCommand;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.RetryPolicy;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.Test;

/** The conformance probes against the emulator: all pass, and a departure from the documentation is a failure. */
class ConformanceCommandTest {

    @Test
    void theDemoEmulatorPassesEveryProbeThroughTheCommand() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = DataverseBackupCommand.execute("emulator", "conformance", "--profile", "demo");
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isEqualTo(ExitCodes.SUCCESS);
        assertThat(printed).contains("Web API conformance of https://127.0.0.1:").contains("12 probes: 12 passed, 0 failed, 0 skipped")
                .doesNotContain("FAIL ");
    }

    @Test
    void aDepartureFromTheDocumentationIsAFailureSayingWhatWasAnswered() {
        try (EmulatorEnvironment environment = EmulatorEnvironment.start(DataSetSpec.sized(5, 0, 0))) {
            AuthSettings settings = AuthSettings.builder().mode(AuthMode.CLIENT_SECRET)
                    .dataverseUrl(environment.emulator().environmentUrl()).authority(environment.emulator().authority())
                    .clientId(EmulatorIdentities.APP_CLIENT_ID).clientSecret(EmulatorIdentities.APP_CLIENT_SECRET).build();
            DataverseClient client = new DataverseClient(URI.create(environment.emulator().environmentUrl()), "9.2",
                    DataverseTokenProvider.create(settings), new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1),
                            Duration.ofSeconds(5)), Duration.ofSeconds(10));
            // the next read of accounts fails as no documented answer would
            environment.emulator().faults().failNext(1, 500, "accounts");
            List<ConformanceProbes.Result> results = ConformanceProbes.run(client);
            assertThat(results).filteredOn(r -> r.outcome() == ConformanceProbes.Outcome.FAIL).singleElement()
                    .satisfies(r -> assertThat(r.probe()).startsWith("odata.maxpagesize pages"))
                    .satisfies(r -> assertThat(r.detail()).contains("500"));
        }
    }
}
