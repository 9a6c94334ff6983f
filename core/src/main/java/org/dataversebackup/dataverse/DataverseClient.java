package org.dataversebackup.dataverse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.dataversebackup.config.ApplicationVersion;
import org.dataversebackup.config.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends requests to the Dataverse Web API with the bearer token from {@link AccessTokens}, and
 * owns the retries that need the whole request replayed: a 429 pauses every request of the same
 * user through the {@link ServiceProtectionGate} until {@code Retry-After} has passed, 5xx and I/O
 * failures back off exponentially, a 401 renews the token once and replays.
 * Other answers become a {@link DataverseException} naming the request and Dataverse's error.
 *
 * <p>Writes are retried only when the caller says the request is safe to repeat (an upsert by
 * primary key is; a POST without a key is not).
 */
public class DataverseClient {
    private static final Logger LOG = LoggerFactory.getLogger(DataverseClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI environmentUrl;
    private final URI apiRoot;
    private final Connections connections;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final boolean compression;
    private final RequestStatistics statistics;

    /** A client with the JVM's default trust ({@link JvmTrustStore}) that asks for compressed answers. */
    public DataverseClient(URI environmentUrl, String apiVersion, AccessTokens tokens, RetryPolicy retryPolicy,
            Duration requestTimeout) {
        this(environmentUrl, apiVersion, tokens, retryPolicy, requestTimeout, true, Sleeper.REAL);
    }

    /**
     * A client with the JVM's default trust ({@link JvmTrustStore}).
     *
     * @param compression ask for gzip-compressed answers ({@code Accept-Encoding: gzip}): pages of
     *                    JSON shrink about tenfold on the network, for a little CPU on each side
     */
    public DataverseClient(URI environmentUrl, String apiVersion, AccessTokens tokens, RetryPolicy retryPolicy,
            Duration requestTimeout, boolean compression) {
        this(environmentUrl, apiVersion, tokens, retryPolicy, requestTimeout, compression, JvmTrustStore.sslContext());
    }

    /**
     * A client with its own TLS trust, independent of JVM-wide settings, throttled on its own
     * (a 429 pauses no other client).
     *
     * @param compression as above
     * @param sslContext  the TLS trust of this environment, usually {@link TlsSettings#sslContext()}
     *                    ({@code dataverse.tls.*})
     */
    public DataverseClient(URI environmentUrl, String apiVersion, AccessTokens tokens, RetryPolicy retryPolicy,
            Duration requestTimeout, boolean compression, SSLContext sslContext) {
        this(environmentUrl, apiVersion, tokens, retryPolicy, requestTimeout, compression, sslContext, Sleeper.REAL);
    }

    /**
     * A client with its own TLS trust whose requests pass through a gate shared with every other
     * client of the same user and environment.
     *
     * @param gate {@link ServiceProtectionGate#of} the environment and the user the tokens are issued to
     */
    public DataverseClient(URI environmentUrl, String apiVersion, AccessTokens tokens, RetryPolicy retryPolicy,
            Duration requestTimeout, boolean compression, SSLContext sslContext, ServiceProtectionGate gate) {
        this(environmentUrl, apiVersion, tokens, retryPolicy, requestTimeout, compression, sslContext, Sleeper.REAL, gate);
    }

    DataverseClient(URI environmentUrl, String apiVersion, AccessTokens tokens, RetryPolicy retryPolicy,
            Duration requestTimeout, boolean compression, Sleeper sleeper) {
        this(environmentUrl, apiVersion, tokens, retryPolicy, requestTimeout, compression, JvmTrustStore.sslContext(),
                sleeper);
    }

    DataverseClient(URI environmentUrl, String apiVersion, AccessTokens tokens, RetryPolicy retryPolicy,
            Duration requestTimeout, boolean compression, SSLContext sslContext, Sleeper sleeper) {
        this(environmentUrl, apiVersion, tokens, retryPolicy, requestTimeout, compression, sslContext, sleeper,
                ServiceProtectionGate.unshared(environmentUrl, sleeper));
    }

    DataverseClient(URI environmentUrl, String apiVersion, AccessTokens tokens, RetryPolicy retryPolicy,
            Duration requestTimeout, boolean compression, SSLContext sslContext, Sleeper sleeper, ServiceProtectionGate gate) {
        this(environmentUrl, apiVersion, List.of(new Connection("main", tokens, gate)), retryPolicy, requestTimeout, compression,
                sslContext, sleeper);
    }

    /**
     * A client that spreads its requests over several connection accounts of the environment
     * ({@code auth.connections}), each through its own gate: Dataverse's service protection limits
     * are per user, so each account adds its own share of requests, execution time and concurrency.
     *
     * @param connections the main account first; each with {@link ServiceProtectionGate#of} its user
     */
    public DataverseClient(URI environmentUrl, String apiVersion, List<Connection> connections, RetryPolicy retryPolicy,
            Duration requestTimeout, boolean compression, SSLContext sslContext) {
        this(environmentUrl, apiVersion, connections, retryPolicy, requestTimeout, compression, sslContext, Sleeper.REAL);
    }

    DataverseClient(URI environmentUrl, String apiVersion, List<Connection> connections, RetryPolicy retryPolicy,
            Duration requestTimeout, boolean compression, SSLContext sslContext, Sleeper sleeper) {
        this.connections = new Connections(connections);
        this.statistics = new RequestStatistics();
        this.compression = compression;
        String base = environmentUrl.toString().replaceAll("/+$", "");
        this.environmentUrl = URI.create(base);
        this.apiRoot = URI.create(base + "/api/data/v" + apiVersion + "/");
        this.retryPolicy = retryPolicy;
        this.requestTimeout = requestTimeout;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext)
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The same environment, HTTP client and statistics, sending as one of the connection accounts only. */
    private DataverseClient(DataverseClient all, Connection only) {
        this.connections = new Connections(List.of(only));
        this.compression = all.compression;
        this.environmentUrl = all.environmentUrl;
        this.apiRoot = all.apiRoot;
        this.retryPolicy = all.retryPolicy;
        this.requestTimeout = all.requestTimeout;
        this.sleeper = all.sleeper;
        this.http = all.http;
        this.statistics = all.statistics;
    }

    /** The names of the connection accounts, the main one first. */
    public List<String> connectionNames() {
        return connections.all().stream().map(Connection::name).toList();
    }

    /** The connection accounts still in use (a failing one is taken out). */
    public List<String> activeConnections() {
        return connections.active();
    }

    /** The connection accounts taken out of the rotation, with why. */
    public Map<String, String> takenOutConnections() {
        return connections.takenOut();
    }

    /** A client sending as this connection account only (the preflight checks each account). */
    public DataverseClient as(String connection) {
        if (!connectionNames().contains(connection)) {
            throw new IllegalArgumentException("No connection '" + connection + "': " + connectionNames());
        }
        return connections.size() == 1 ? this : new DataverseClient(this, connections.named(connection));
    }

    /** Takes a connection account out of the rotation, saying why; false when it is the last one. */
    public boolean takeOut(String connection, String reason) {
        return connections.takeOut(connections.named(connection), reason);
    }

    /** The environment URL, e.g. {@code https://contoso.crm.dynamics.com}. */
    public URI environmentUrl() {
        return environmentUrl;
    }

    /** What this client has sent: requests, 429s, retries, token renewals (the service's metrics). */
    public RequestStatistics statistics() {
        return statistics;
    }

    /**
     * The service protection limit that has bounded the requests of this client's user so far (all
     * clients of that user share its gate), e.g. "limited by ... as application &lt;id&gt;'s number
     * of requests (2 pauses, down to 13 at once)"; empty while Dataverse never throttled that user.
     */
    public java.util.Optional<String> limitedBy() {
        return connections.limitedBy();
    }

    /** Pauses of this client's user so far per limit, to mark a run's start ({@link #limitedBySince}). */
    public java.util.Map<String, Integer> pausesByLimit() {
        return connections.pausesByLimit();
    }

    /** The limit that held this client's user back since {@code before} ({@link #pausesByLimit} at a run's start). */
    public java.util.Optional<String> limitedBySince(java.util.Map<String, Integer> before) {
        return connections.limitedBySince(before);
    }

    /** How requests are retried; writers of {@code $batch} parts follow the same policy. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** {@code <environment>/api/data/v9.2/}. */
    public URI apiRoot() {
        return apiRoot;
    }

    /** GET a path relative to the API root ({@code accounts?$select=name}) or an absolute URL from Dataverse. */
    public DataverseResponse get(String pathOrUrl, Map<String, String> headers) {
        return send("GET", pathOrUrl, headers, null, true);
    }

    public JsonNode getJson(String pathOrUrl) {
        return get(pathOrUrl, Map.of()).json();
    }

    /**
     * Sends a request and returns a 2xx answer, retrying as described on the class.
     *
     * @param body       JSON or other request body, or null
     * @param replayable whether the request may be sent again after a failure without an answer
     *                   (I/O error, timeout, 5xx): true for reads and for writes keyed by id; a
     *                   429 is always sent again (Dataverse did not carry the request out)
     */
    public DataverseResponse send(String method, String pathOrUrl, Map<String, String> headers, byte[] body,
            boolean replayable) {
        return send(method, pathOrUrl, headers, body, replayable, retryPolicy);
    }

    /**
     * The first request to the environment (WhoAmI), which tells a wrong or unreachable
     * {@code dataverse.url} from a failing environment, before any table is read: when nothing
     * answers (after at most {@value #FIRST_CONTACT_ATTEMPTS} attempts; an unknown host or an
     * untrusted certificate at once), when the answer is not the Web API's (an HTML page, a
     * redirect, 404), a {@link ConfigurationException} names the URL and what to check. Other
     * refusals (401, 403, ...) are the {@link DataverseException}s of {@link #send}.
     */
    public DataverseResponse firstContact(String path) {
        RetryPolicy brief = new RetryPolicy(Math.min(FIRST_CONTACT_ATTEMPTS, retryPolicy.maxAttempts()),
                retryPolicy.firstBackoff(), retryPolicy.maxBackoff(), retryPolicy.maxThrottleWait());
        String check = "Check 'dataverse.url' (the environment URL, e.g. https://contoso.crm.dynamics.com, without a"
                + " path: Power Platform admin center > the environment > Environment URL)";
        DataverseResponse response;
        try {
            response = send("GET", path, Map.of(), null, true, brief);
        } catch (DataverseException e) {
            if (e.status() == 0) {
                throw new ConfigurationException("Dataverse at " + environmentUrl + " cannot be reached: "
                        + e.dataverseMessage() + ". " + check + ", the network and the proxy.", e);
            }
            if (e.status() == 404 || e.status() / 100 == 3) {
                throw new ConfigurationException("No Dataverse Web API answers at " + environmentUrl + " (" + e.getMessage()
                        + "). " + check + ".", e);
            }
            throw e;
        }
        if (!response.isJson()) {
            throw new ConfigurationException(environmentUrl + " answered GET " + resolve(path) + " with "
                    + response.header("Content-Type").map(type -> "a " + type + " page").orElse("something")
                    + " that is not JSON: it is not the Dataverse Web API (a sign-in page, a proxy, or a web site?). "
                    + check + ".");
        }
        return response;
    }

    /**
     * Operations inside an answered request (parts of a {@code $batch}) were refused 429: every
     * request of the user that sent {@code answer} to this environment waits until Retry-After has passed (the first backoff
     * when it gives none), through the same gate as a 429 to a whole request.
     */
    public void throttledInside(DataverseResponse answer, String description, Duration retryAfter, String code) {
        statistics.throttled();
        connections.named(answer.connection()).gate().throttledInside(description,
                retryAfter.isZero() ? retryPolicy.firstBackoff() : retryAfter, code);
    }

    /** How many times the first request is sent when nothing answers. */
    static final int FIRST_CONTACT_ATTEMPTS = 3;

    private DataverseResponse send(String method, String pathOrUrl, Map<String, String> headers, byte[] body,
            boolean replayable, RetryPolicy retryPolicy) {
        for (;;) {
            Connection connection = connections.pick();
            try {
                return send(connection, method, pathOrUrl, headers, body, replayable, retryPolicy);
            } catch (ConnectionRefused refused) {
                // this account cannot sign in, or Dataverse refuses its tokens: the request was not carried
                // out, so it goes to another account, unless this is the last one
                if (!connections.takeOut(connection, refused.reason)) {
                    throw refused.failure;
                }
            }
        }
    }

    /** A connection account that cannot be used: the failure as the request would report it, and why in short. */
    private static final class ConnectionRefused extends Exception {
        private final RuntimeException failure;
        private final String reason;

        ConnectionRefused(RuntimeException failure, String reason) {
            super(reason, failure, false, false);
            this.failure = failure;
            this.reason = reason;
        }
    }

    private DataverseResponse send(Connection connection, String method, String pathOrUrl, Map<String, String> headers,
            byte[] body, boolean replayable, RetryPolicy retryPolicy) throws ConnectionRefused {
        URI uri = resolve(pathOrUrl);
        String description = method + " " + uri;
        ServiceProtectionGate.Request throttling = connection.gate().request(description, retryPolicy.maxThrottleWait());
        AccessTokens tokens = connection.tokens();
        String token;
        try {
            token = tokens.current();
        } catch (RuntimeException e) {
            throw new ConnectionRefused(e, "no token (" + e.getMessage() + ")");
        }
        boolean renewedAfter401 = false;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = sendThroughGate(throttling, request(method, uri, headers, body, token), description);
            } catch (IOException e) {
                if (e.getCause() instanceof OutOfMemoryError) {
                    throw new DataverseException(description, "the answer does not fit in the memory the JVM has: give it more"
                            + " heap (-Xmx) or lower backup.page-size or backup.parallelism", e);
                }
                if (unknownHost(e)) {
                    // a name that does not resolve stays unresolved for longer than any retry waits
                    throw new DataverseException(description, "the host " + uri.getHost() + " is not known (DNS)", e);
                }
                if (untrustedCertificate(e)) {
                    // a certificate that is not trusted stays untrusted: asking again only delays the answer
                    throw new DataverseException(description, "TLS failed (" + e.getMessage() + "): if the environment"
                            + " uses a private CA, set dataverse.tls.trust-store to a trust store holding its certificate", e);
                }
                if (!replayable || !retryPolicy.canRetry(attempt)) {
                    throw new DataverseException(description, "no answer (" + e + ")"
                            + (replayable ? " after " + attempt + " attempts" : ""), e);
                }
                statistics.retried(RequestStatistics.Retry.NO_ANSWER);
                waitBeforeRetry(description, attempt, Optional.empty(), "no answer (" + e.getClass().getSimpleName() + ")");
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataverseException(description, "interrupted", e);
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                try {
                    return new DataverseResponse(status, response.headers(), decoded(response), connection.name());
                } catch (IOException e) {
                    if (!replayable || !retryPolicy.canRetry(attempt)) {
                        throw new DataverseException(description, "the answer could not be decompressed (" + e + ")", e);
                    }
                    statistics.retried(RequestStatistics.Retry.DAMAGED_ANSWER);
                    waitBeforeRetry(description, attempt, Optional.empty(), "a damaged compressed answer");
                    continue;
                }
            }
            if (status == 401 && !renewedAfter401) {
                LOG.debug("401 from Dataverse for {}: renewing the access token once", description);
                try {
                    token = tokens.renewAfterRejection(token);
                } catch (RuntimeException e) {
                    throw new ConnectionRefused(e, "no new token after a 401 (" + e.getMessage() + ")");
                }
                statistics.tokenRenewed();
                renewedAfter401 = true;
                attempt--; // a token renewal is not a failed attempt
                continue;
            }
            if (status == 429) {
                // the gate holds the next attempt back until Retry-After has passed, or gives up
                // after retry.max-throttle-wait; a 429 is not one of the attempts for failures
                attempt--;
                continue;
            }
            boolean serverError = status >= 500 && status != 501;
            if (serverError && replayable && retryPolicy.canRetry(attempt)) {
                Optional<Duration> retryAfter = retryAfter(response);
                if (retryAfter.isPresent() && retryAfter.get().compareTo(retryPolicy.maxThrottleWait()) > 0) {
                    throw error(description, response);
                }
                statistics.retried(RequestStatistics.Retry.SERVER_ERROR);
                waitBeforeRetry(description, attempt, retryAfter, "HTTP " + status);
                continue;
            }
            DataverseException failure = error(description, response);
            if (status == 401) {
                throw new ConnectionRefused(failure, "Dataverse refuses its tokens (" + failure.getMessage() + ")");
            }
            throw failure;
        }
    }

    /**
     * One exchange, once the gate lets it through; the gate learns whether it was throttled.
     *
     * @throws DataverseException a 429 whose wait would exceed {@code retry.max-throttle-wait}
     */
    private HttpResponse<byte[]> sendThroughGate(ServiceProtectionGate.Request throttling, HttpRequest request,
            String description) throws IOException, InterruptedException {
        try (ServiceProtectionGate.Permit permit = throttling.enter()) {
            statistics.requestSent();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 429) {
                statistics.throttled();
                DataverseException refusal = error(description, response);
                LOG.debug("429 for {}: {}", description, refusal.dataverseMessage());
                // Dataverse always says how long to wait; without Retry-After (or with 0), wait as after a
                // first failure rather than asking again at once
                Duration wait = retryAfter(response).filter(d -> !d.isZero()).orElse(retryPolicy.firstBackoff());
                permit.throttled(wait, refusal.code());
            } else {
                permit.answered();
            }
            return response;
        }
    }

    private HttpRequest request(String method, URI uri, Map<String, String> headers, byte[] body, String token) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Accept", "application/json");
        all.put("OData-MaxVersion", "4.0");
        all.put("OData-Version", "4.0");
        if ("GET".equals(method)) {
            all.put("If-None-Match", "null");
        }
        if (body != null) {
            all.put("Content-Type", "application/json; charset=utf-8");
        }
        all.put("User-Agent", "dataverse-backup/" + ApplicationVersion.get());
        if (compression) {
            all.put("Accept-Encoding", "gzip");
        }
        all.putAll(headers);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        all.forEach(builder::header);
        builder.header("Authorization", "Bearer " + token);
        return builder.build();
    }

    /** A TLS failure because the server's certificate is not trusted (not a handshake cut short). */
    private static boolean unknownHost(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.UnknownHostException || cause instanceof java.nio.channels.UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static boolean untrustedCertificate(IOException e) {
        if (!(e instanceof javax.net.ssl.SSLHandshakeException)) {
            return false;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.security.cert.CertificateException
                    || cause instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
        }
        return false;
    }

    private void waitBeforeRetry(String description, int attempt, Optional<Duration> retryAfter, String reason) {
        Duration delay = retryPolicy.delay(attempt, retryAfter);
        LOG.warn("{} for {}: retrying in {} ms{} (attempt {} of {})", reason, description, delay.toMillis(),
                retryAfter.isPresent() ? " as Retry-After asks" : "", attempt + 1, retryPolicy.maxAttempts());
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataverseException(description, "interrupted while waiting to retry", e);
        }
    }

    private URI resolve(String pathOrUrl) {
        if (pathOrUrl.startsWith("https://") || pathOrUrl.startsWith("http://")) {
            URI uri = Urls.verbatim(pathOrUrl);
            if (sameOrigin(uri, environmentUrl)) {
                return uri;
            }
            // A link naming the environment by another host name (a server behind a proxy, 127.0.0.1
            // for localhost): its path and query are followed verbatim, on the configured origin,
            // because the bearer token is only ever sent to the environment it was issued for.
            LOG.debug("Following {} on {}", pathOrUrl, environmentUrl);
            return Urls.verbatim(environmentUrl + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }
        return Urls.verbatim(apiRoot + (pathOrUrl.startsWith("/") ? pathOrUrl.substring(1) : pathOrUrl));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(DataverseClient::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }

    /** The body, decompressed when Dataverse compressed it (Content-Encoding: gzip). */
    private static byte[] decoded(HttpResponse<byte[]> response) throws IOException {
        boolean gzip = response.headers().firstValue("Content-Encoding").map(v -> v.trim().equalsIgnoreCase("gzip"))
                .orElse(false);
        if (!gzip || response.body().length == 0) {
            return response.body();
        }
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(response.body()), 1 << 16)) {
            return in.readAllBytes();
        }
    }

    private static DataverseException error(String description, HttpResponse<byte[]> response) {
        String code = "";
        String message = "";
        byte[] body;
        try {
            body = decoded(response);
        } catch (IOException e) {
            body = new byte[0];
        }
        try {
            JsonNode error = JSON.readTree(body).path("error");
            code = error.path("code").asText("");
            message = error.path("message").asText("");
        } catch (IOException | RuntimeException notJson) {
            message = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            if (message.length() > 500) {
                message = message.substring(0, 500) + "...";
            }
        }
        return new DataverseException(description, response.statusCode(), code, message);
    }

    /** Waits between attempts; tests replace it to keep 429 storms fast. */
    interface Sleeper {
        Sleeper REAL = delay -> Thread.sleep(delay.toMillis());

        void sleep(Duration delay) throws InterruptedException;
    }
}
