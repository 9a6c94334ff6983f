package org.dataversebackup.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.EmulatorState;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code emulator}: runs the bundled Dataverse emulator (Web API and Entra ID token endpoint on
 * loopback HTTPS) until stopped, after printing where it is and who may sign in.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true, subcommands = ConformanceCommand.class,
        description = {"Run the bundled Dataverse emulator (Web API and token endpoint on loopback).",
                "It runs until Ctrl+C (or --duration) and prints the settings that connect to it."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar emulator --port 8443 --generate accounts=1000,contacts-per-account=2,projects=50",
                "  java -jar dataverse-backup.jar emulator --data state.json --save state.json"})
class EmulatorCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (default 0: a free port).")
    int port;

    @Option(names = "--data", paramLabel = "FILE", description = "Load the state (users, rows) from this JSON file.")
    Path data;

    @Option(names = "--generate", paramLabel = "SPEC",
            description = "Generate a data set: accounts=N,contacts-per-account=N,projects=N,users=N,teams=N,"
                    + "contacts-per-project=N,seed=N (or A,C,P). Default: 100,2,20.")
    String generate;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the state to this JSON file when stopping.")
    Path save;

    @Option(names = "--directory", paramLabel = "DIR",
            description = "Where to write the trust store and certificate files (default: beside --data, else a temporary folder).")
    Path directory;

    @Option(names = "--token-lifetime", paramLabel = "DURATION",
            description = "Lifetime of access tokens, ISO-8601 (PT1H) or seconds (default PT1H).")
    String tokenLifetime;

    @Option(names = "--auto-approve", paramLabel = "USER",
            description = "Approve device code sign-ins at once as this user (e.g. " + EmulatorIdentities.ADMIN_USER + ").")
    String autoApprove;

    @Option(names = "--requests-per-window", paramLabel = "N", description = "Service protection: requests per user per window (default 6000).")
    int requestsPerWindow = 6000;

    @Option(names = "--window", paramLabel = "SECONDS", description = "Service protection window (default 300).")
    int windowSeconds = 300;

    @Option(names = "--concurrent-requests", paramLabel = "N", description = "Service protection: concurrent requests per user (default 52).")
    int concurrentRequests = 52;

    @Option(names = "--dop-hint", paramLabel = "N", description = "The x-ms-dop-hint response header (default 4).")
    int dopHint = 4;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (for scripts).")
    Long durationSeconds;

    @Override
    public Integer call() throws Exception {
        DataverseEmulator.Builder builder = DataverseEmulator.builder().port(port)
                .serviceProtection(requestsPerWindow, Duration.ofSeconds(windowSeconds), concurrentRequests)
                .dopHint(dopHint);
        try {
            if (data != null && generate != null) {
                throw new IllegalArgumentException("Give --data or --generate, not both.");
            }
            if (data != null) {
                if (!Files.isRegularFile(data)) {
                    throw new IllegalArgumentException("The state file " + data + " does not exist.");
                }
                builder.state(EmulatorState.load(data));
                builder.directory(data.toAbsolutePath().getParent());
            } else {
                builder.state(EmulatorState.generate(spec(generate == null ? "100,2,20" : generate)));
            }
            if (directory != null) {
                builder.directory(directory);
            }
            if (tokenLifetime != null) {
                builder.tokenLifetime(duration(tokenLifetime));
            }
            if (autoApprove != null) {
                builder.autoApproveDeviceCodes(autoApprove);
            }
        } catch (IllegalArgumentException e) {
            Console.error(e.getMessage(), null);
            return ExitCodes.USAGE;
        }
        DataverseEmulator emulator = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop(emulator);
            stopped.countDown();
        }, "dataverse-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        print(emulator, Console.out());
        if (durationSeconds != null) {
            stopped.await(durationSeconds, TimeUnit.SECONDS);
            Runtime.getRuntime().removeShutdownHook(hook);
            stop(emulator);
            return ExitCodes.SUCCESS;
        }
        stopped.await();
        return ExitCodes.SUCCESS;
    }

    private void stop(DataverseEmulator emulator) {
        synchronized (this) {
            if (save != null) {
                emulator.state().save(save);
                System.err.println("dataverse-backup: emulator state written to " + save.toAbsolutePath());
                save = null;
            }
            emulator.close();
        }
    }

    static void print(DataverseEmulator e, PrintStream out) {
        out.println("Dataverse emulator running");
        out.println("  Environment URL (dataverse.url)    " + e.environmentUrl());
        out.println("  Web API                            " + e.webApiUrl());
        out.println("  Authority (auth.authority)         " + e.authority());
        out.println("  Tenant id (auth.tenant-id)         " + e.tenantId());
        out.println("  Trust store (PKCS12)               " + e.trustStore());
        out.println("  Trust store password               " + e.trustStorePassword());
        out.println("  CA certificate (PEM, curl --cacert) " + e.trustStorePem());
        out.println("  JVM options                        -Djavax.net.ssl.trustStore=" + e.trustStore()
                + " -Djavax.net.ssl.trustStorePassword=" + e.trustStorePassword() + " -Djavax.net.ssl.trustStoreType=PKCS12");
        out.println("Application (client credentials; also allowed for password and device code)");
        out.println("  Client id (auth.client-id)         " + EmulatorIdentities.APP_CLIENT_ID);
        out.println("  Client secret (auth.client-secret) " + EmulatorIdentities.APP_CLIENT_SECRET);
        out.println("  Certificate (auth.certificate-path) " + e.appCertificatePkcs12() + " (password "
                + EmulatorIdentities.APP_CERTIFICATE_PASSWORD + "); PEM: " + e.appCertificatePem() + ", " + e.appPrivateKeyPem());
        out.println("Users (password " + EmulatorIdentities.USER_PASSWORD + ")");
        out.println("  " + EmulatorIdentities.ADMIN_USER + "  Read-Write, System Administrator");
        out.println("  " + EmulatorIdentities.READ_ONLY_USER + "  Read access mode");
        out.println("  " + EmulatorIdentities.NO_CONTACT_WRITE_USER + "  no prvWriteContact");
        out.println("  " + EmulatorIdentities.ADMINISTRATIVE_USER + "  Administrative access mode");
        out.println("  " + EmulatorIdentities.BASIC_READ_USER + "  reads own rows only (Basic depth)");
        out.println("  " + EmulatorIdentities.TEAM_USER + "  System Administrator through a team");
        out.println("  " + EmulatorIdentities.DISABLED_USER + "  disabled in Dataverse");
        out.println("  " + EmulatorIdentities.MFA_USER + "  needs MFA (password grant fails with AADSTS50076)");
        out.println("Press Ctrl+C to stop.");
        out.flush();
    }

    static DataSetSpec spec(String text) {
        DataSetSpec.Builder b = DataSetSpec.builder();
        String[] parts = text.split(",");
        try {
            if (parts.length <= 3 && !text.contains("=")) {
                b.accounts(Integer.parseInt(parts[0].trim()));
                if (parts.length > 1) {
                    b.contactsPerAccount(Integer.parseInt(parts[1].trim()));
                }
                if (parts.length > 2) {
                    b.projects(Integer.parseInt(parts[2].trim()));
                }
                return b.build();
            }
            for (String part : parts) {
                String[] kv = part.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("--generate expects name=value pairs, not '" + part + "'");
                }
                long value = Long.parseLong(kv[1].trim());
                switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                    case "accounts" -> b.accounts((int) value);
                    case "contacts-per-account" -> b.contactsPerAccount((int) value);
                    case "projects" -> b.projects((int) value);
                    case "users" -> b.users((int) value);
                    case "teams" -> b.teams((int) value);
                    case "contacts-per-project" -> b.contactsPerProject((int) value);
                    case "seed" -> b.seed(value);
                    default -> throw new IllegalArgumentException("Unknown --generate setting '" + kv[0].trim()
                            + "' (accounts, contacts-per-account, projects, users, teams, contacts-per-project, seed)");
                }
            }
            return b.build();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--generate " + text + ": numbers expected");
        }
    }

    static Duration duration(String text) {
        try {
            return text.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--token-lifetime " + text + ": give seconds or an ISO-8601 duration such as PT1H");
        }
    }
}
