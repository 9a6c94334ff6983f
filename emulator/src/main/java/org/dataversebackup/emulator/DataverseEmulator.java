package org.dataversebackup.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A Dataverse environment and its Entra ID token endpoint on loopback HTTPS, behaving as Microsoft
 * documents the Dataverse Web API. One port serves both: the Web API under
 * {@code /api/data/v9.2/} and the authority {@code /{tenantId}/oauth2/v2.0/…}.
 *
 * <pre>{@code
 * try (DataverseEmulator emulator = DataverseEmulator.builder().port(0)
 *         .generate(DataSetSpec.sized(100, 2, 10)).start()) {
 *     emulator.webApiUrl();   // https://127.0.0.1:<port>/api/data/v9.2/
 * }
 * }</pre>
 */
public final class DataverseEmulator implements AutoCloseable {
    private final HttpsServer server;
    private final ThreadPoolExecutor executor;
    private final EmulatorContext ctx;
    private final TokenEndpoint tokenEndpoint;
    private final WebApi webApi;
    private final Path directory;
    private final boolean ownDirectory;
    private final Path trustStore;
    private final Path trustStorePem;
    private final Path appPkcs12;
    private final Path appCertificatePem;
    private final Path appKeyPem;

    private DataverseEmulator(Builder b) throws IOException {
        EmulatorState state = b.resolveState();
        Tls.Material tls = Tls.tlsMaterial();
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        SSLContext sslContext = Tls.serverContext();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 512);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext));
        int port = server.getAddress().getPort();
        String baseUrl = "https://127.0.0.1:" + port;
        Tokens tokens = new Tokens(b.clock, EmulatorIdentities.TENANT_ID, b.tokenLifetime);
        Set<String> audiences = Set.of(baseUrl, "https://localhost:" + port);
        ctx = new EmulatorContext(state, tokens, b.clock, EmulatorIdentities.TENANT_ID, baseUrl, audiences, new Faults(),
                new ServiceProtection(b.requestsPerWindow, b.window, b.concurrentRequests), b.dopHint,
                b.changeTrackingRetention);
        tokenEndpoint = new TokenEndpoint(state, tokens, b.clock, EmulatorIdentities.TENANT_ID, baseUrl, audiences,
                b.autoApproveUser, (int) Math.max(1, b.deviceCodeInterval.toSeconds()));
        webApi = new WebApi(ctx, new Router(ctx));

        if (b.directory != null) {
            directory = b.directory;
            ownDirectory = false;
        } else if (b.dataFile != null) {
            directory = b.dataFile.toAbsolutePath().getParent();
            ownDirectory = false;
        } else {
            directory = Files.createTempDirectory("dataverse-emulator-");
            ownDirectory = true;
        }
        trustStore = directory.resolve("emulator-truststore.p12");
        trustStorePem = directory.resolve("emulator-ca.pem");
        appPkcs12 = directory.resolve("emulator-app.p12");
        appCertificatePem = directory.resolve("emulator-app-cert.pem");
        appKeyPem = directory.resolve("emulator-app-key.pem");
        Tls.writeTrustStore(trustStore);
        Tls.writeText(trustStorePem, Tls.certificatePem(tls.certificate()));
        Tls.Material app = Tls.appCertificateMaterial();
        Tls.writePkcs12(appPkcs12, app, "emulator-app", EmulatorIdentities.APP_CERTIFICATE_PASSWORD);
        Tls.writeText(appCertificatePem, Tls.certificatePem(app.certificate()));
        Tls.writeText(appKeyPem, Tls.privateKeyPem(app.keyPair()));

        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "dataverse-emulator-" + port + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        server.createContext("/", exchange -> dispatch(exchange, webApi));
        server.start();
    }

    private void dispatch(HttpExchange exchange, WebApi webApi) {
        try {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/api/data/")) {
                webApi.handle(exchange);
            } else {
                tokenEndpoint.handle(exchange);
            }
        } catch (Throwable e) {
            try {
                Http.send(exchange, 500, "text/plain; charset=utf-8",
                        ("Emulator failure: " + e).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException ignored) {
                exchange.close();
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The environment URL, what users set as {@code dataverse.url}: {@code https://127.0.0.1:<port>}. */
    public String environmentUrl() {
        return ctx.baseUrl;
    }

    /** {@link #environmentUrl()} + {@code /api/data/v9.2/}. */
    public String webApiUrl() {
        return ctx.serviceRoot("v9.2");
    }

    /** The token authority (Entra ID style, for msal4j): {@code https://127.0.0.1:<port>/<tenantId>}. */
    public String authority() {
        return ctx.baseUrl + "/" + ctx.tenantId;
    }

    public String tenantId() {
        return ctx.tenantId;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** PKCS#12 trust store holding the emulator's self-signed TLS certificate (SAN localhost, 127.0.0.1). */
    public Path trustStore() {
        return trustStore;
    }

    public String trustStorePassword() {
        return Tls.STORE_PASSWORD;
    }

    /** The TLS certificate as PEM, e.g. for {@code curl --cacert}. */
    public Path trustStorePem() {
        return trustStorePem;
    }

    /** The application's client certificate with its private key (PKCS#12, password {@link EmulatorIdentities#APP_CERTIFICATE_PASSWORD}). */
    public Path appCertificatePkcs12() {
        return appPkcs12;
    }

    /** The application's client certificate as PEM. */
    public Path appCertificatePem() {
        return appCertificatePem;
    }

    /** The application's private key as unencrypted PKCS#8 PEM. */
    public Path appPrivateKeyPem() {
        return appKeyPem;
    }

    /** The folder holding the trust store and certificate files. */
    public Path directory() {
        return directory;
    }

    /** A client TLS context trusting the emulator's certificate. */
    public SSLContext clientSslContext() {
        return Tls.clientContext();
    }

    /** The live state: identities, tables, rows. */
    public EmulatorState state() {
        return ctx.state;
    }

    /** How many requests the token endpoint has served. */
    /** Web API requests received so far (a {@code $batch} counts as one). */
    public long webApiRequests() {
        return webApi.requests();
    }

    public long tokenRequests() {
        return tokenEndpoint.tokenRequests();
    }

    /** Every token issued so far is rejected by the Web API from now on (401); refresh tokens stay valid. */
    public void revokeIssuedTokens() {
        ctx.tokens.revokeAll();
    }

    /** Lifetime (expires_in) of the access tokens issued from now on. */
    public void tokenLifetime(Duration lifetime) {
        ctx.tokens.lifetime(lifetime);
    }

    /** Injected latency and faults. */
    public Faults faults() {
        return ctx.faults;
    }

    /** Changes the service protection limits of the running emulator. */
    public void serviceProtection(int requestsPerWindow, Duration window, int concurrentRequests) {
        ctx.protection.configure(requestsPerWindow, window, concurrentRequests);
    }

    /**
     * The combined execution time each user's requests may take per window (Dataverse: 1,200 s per
     * 300 s; the default is that, scaled to the window), for tests and benchmarks of the
     * execution-time limit.
     */
    public void executionTimeLimit(Duration perWindow) {
        ctx.protection.executionTime(perWindow);
    }

    /**
     * What service protection saw per user (by systemuserid, as {@code WhoAmI} answers it): the
     * most concurrent requests, requests let through and requests throttled, since the start.
     */
    public java.util.Map<java.util.UUID, UserStatistics> userStatistics() {
        return ctx.protection.statistics();
    }

    /** The {@code x-ms-dop-hint} sent with every Web API response. */
    public void dopHint(int dopHint) {
        ctx.dopHint = dopHint;
    }

    /** Approves the pending device code with this user code for a user; false when none is pending. */
    public boolean approveDeviceCode(String userCode, String userPrincipalName) {
        return tokenEndpoint.approveDeviceCode(userCode, userPrincipalName);
    }

    /** The end user declines the pending device code with this user code. */
    public boolean declineDeviceCode(String userCode) {
        return tokenEndpoint.declineDeviceCode(userCode);
    }

    /** From now on, every device code is approved for this user as soon as it is issued (null: stop). */
    public void autoApproveDeviceCodes(String userPrincipalName) {
        tokenEndpoint.autoApproveDeviceCodes(userPrincipalName);
    }

    /** User codes of the device codes waiting for approval. */
    public List<String> pendingDeviceCodes() {
        return tokenEndpoint.pendingDeviceUserCodes();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        if (ownDirectory) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // best effort
                    }
                });
            } catch (IOException | UncheckedIOException ignored) {
                // best effort
            }
        }
    }

    /** Options of an emulator; {@link #start()} starts it. */
    public static final class Builder {
        private int port;
        private Duration tokenLifetime = Duration.ofHours(1);
        private EmulatorState state;
        private Path dataFile;
        private DataSetSpec spec;
        private int requestsPerWindow = 6000;
        private Duration window = Duration.ofSeconds(300);
        private int concurrentRequests = 52;
        private int dopHint = 4;
        private Path directory;
        private String autoApproveUser;
        private Duration deviceCodeInterval = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private Duration changeTrackingRetention = Duration.ofDays(7);
        private int threads = 128;

        private Builder() {
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** expires_in of issued access tokens (default 1 hour; short in tests). */
        public Builder tokenLifetime(Duration tokenLifetime) {
            this.tokenLifetime = tokenLifetime;
            return this;
        }

        /** Serve this state (shared, live). */
        public Builder state(EmulatorState state) {
            this.state = state;
            return this;
        }

        /** Load the state from a JSON file written by {@link EmulatorState#save(Path)}. */
        public Builder dataFile(Path dataFile) {
            this.dataFile = dataFile;
            return this;
        }

        /** Generate a data set. */
        public Builder generate(DataSetSpec spec) {
            this.spec = spec;
            return this;
        }

        /** Service protection limits per user: default 6000 requests per 300 s, 52 concurrent requests. */
        public Builder serviceProtection(int requestsPerWindow, Duration window, int concurrentRequests) {
            this.requestsPerWindow = requestsPerWindow;
            this.window = window;
            this.concurrentRequests = concurrentRequests;
            return this;
        }

        /** The {@code x-ms-dop-hint} response header (default 4). */
        public Builder dopHint(int dopHint) {
            this.dopHint = dopHint;
            return this;
        }

        /** Where the trust store and certificate files go (default: beside the data file, else a temporary folder). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Approve every device code for this user as soon as it is issued (demos, tests). */
        public Builder autoApproveDeviceCodes(String userPrincipalName) {
            this.autoApproveUser = userPrincipalName;
            return this;
        }

        /** The polling interval the device code endpoint asks for (default 5 s, as Entra ID). */
        public Builder deviceCodeInterval(Duration interval) {
            this.deviceCodeInterval = interval;
            return this;
        }

        /** The clock for token times, createdon/modifiedon and change tracking expiry. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How long a change tracking delta token stays valid (Dataverse default: 7 days). */
        public Builder changeTrackingRetention(Duration retention) {
            this.changeTrackingRetention = retention;
            return this;
        }

        /** Request handler threads (default 128). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        EmulatorState resolveState() {
            if (state != null) {
                return state;
            }
            if (dataFile != null) {
                return EmulatorState.load(dataFile);
            }
            if (spec != null) {
                return EmulatorState.generate(spec);
            }
            return EmulatorState.standard();
        }

        public DataverseEmulator start() {
            try {
                return new DataverseEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the Dataverse emulator: " + e.getMessage(), e);
            }
        }
    }
}
