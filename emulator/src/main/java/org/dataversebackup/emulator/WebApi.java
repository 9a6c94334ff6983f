package org.dataversebackup.emulator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The Web API pipeline for {@code /api/data/v9.x/…}: request latency, bearer token, the caller's
 * systemuser, service protection limits, injected faults, then the {@link Router}.
 */
final class WebApi {
    private final EmulatorContext ctx;
    private final Router router;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    WebApi(EmulatorContext ctx, Router router) {
        this.ctx = ctx;
        this.router = router;
    }

    /** Web API requests received so far ($batch counts as one), for tests and benchmarks. */
    long requests() {
        return requests.get();
    }

    void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        long start = System.nanoTime();
        String rawPath = exchange.getRequestURI().getRawPath();
        // /api/data/v9.2/<path>
        String rest = rawPath.substring("/api/data/".length());
        int slash = rest.indexOf('/');
        String version = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        ApiRequest request = new ApiRequest(exchange.getRequestMethod(), version, path,
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(),
                exchange.getRequestBody().readAllBytes());
        ApiResponse response;
        ServiceProtection.Ticket ticket = null;
        try {
            sleep(ctx.faults.requestLatency());
            if (!version.matches("v9\\.[0-2]")) {
                throw ApiError.segmentNotFound(version);
            }
            Principal principal = authenticate(request);
            ticket = ctx.protection.enter(principal.systemUserId, System.nanoTime());
            Duration throttle = ctx.faults.takeThrottle();
            if (throttle != null) {
                throw new ApiError(429, "0x80072322", "Number of requests exceeded the limit of "
                        + ctx.protection.requestsPerWindow() + " over time window of "
                        + ctx.protection.window().toSeconds() + " seconds.")
                        .header("Retry-After", Long.toString(Math.max(0, throttle.toSeconds())));
            }
            int failure = ctx.faults.takeFailure(entitySetOf(path));
            if (failure != 0) {
                throw injected(failure);
            }
            if (request.isWrite()) {
                int writeFailure = ctx.faults.takeWriteFailure();
                if (writeFailure != 0) {
                    throw injected(writeFailure);
                }
            }
            response = router.route(request, principal);
            if (request.isWrite()) {
                sleep(ctx.faults.writeLatency());
            }
            if (request.isWrite() && ctx.faults.takeDrop()) {
                response.dropConnection = true;
            }
            response.setHeader("x-ms-ratelimit-burst-remaining-xrm-requests", Integer.toString(ticket.remaining()));
            response.setHeader("x-ms-ratelimit-time-remaining-xrm-requests",
                    String.format(Locale.ROOT, "%,.2f", ticket.remainingExecutionMillis() / 1000.0));
        } catch (ApiError e) {
            response = error(e, request);
        } catch (RuntimeException e) {
            response = error(new ApiError(500, "0x80040216", "An unexpected error occurred: " + e), request);
        } finally {
            if (ticket != null) {
                ctx.protection.exit(ticket, start, System.nanoTime());
            }
        }
        write(exchange, request, response);
    }

    private static ApiError injected(int status) {
        return status == 503
                ? new ApiError(503, "0x80040216", "The service is temporarily unavailable. Please retry later.")
                : new ApiError(status, "0x80040216", "An unexpected error occurred.");
    }

    static String entitySetOf(String path) {
        String first = path;
        int cut = indexOfAny(first, '(', '/');
        if (cut >= 0) {
            first = first.substring(0, cut);
        }
        return Http.decode(first);
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ authentication

    private Principal authenticate(ApiRequest request) {
        String authorization = request.header("Authorization");
        String challenge = "Bearer authorization_uri=" + ctx.baseUrl + "/" + ctx.tenantId + "/oauth2/authorize, resource_id="
                + ctx.baseUrl + "/";
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).trim().isEmpty()) {
            throw new ApiError(401, "0x80044300", "CrmAuthenticationToken is missing.")
                    .header("WWW-Authenticate", challenge);
        }
        Tokens.Validation validation = ctx.tokens.validate(authorization.substring(7).trim(), ctx.audiences);
        if (validation.check() == Tokens.Check.EXPIRED) {
            throw new ApiError(401, "0x8004A101", "The ticket specified for authentication is expired")
                    .header("WWW-Authenticate", challenge + ", error=\"invalid_token\", error_description=\"The access token is expired\"");
        }
        if (validation.check() != Tokens.Check.OK) {
            throw new ApiError(401, "0x8004A102", "The ticket specified for authentication is invalid")
                    .header("WWW-Authenticate", challenge + ", error=\"invalid_token\", error_description=\"The access token is invalid\"");
        }
        ObjectNode claims = validation.claims();
        EmulatorState state = ctx.state;
        Principal principal;
        if ("app".equals(claims.path("idtyp").asText())) {
            EmulatorApp app = state.application(claims.path("appid").asText()).orElse(null);
            if (app == null || app.applicationUserId() == null) {
                throw notMember();
            }
            principal = Principal.of(state, app);
        } else {
            EmulatorUser user = state.userByObjectId(UUID.fromString(claims.path("oid").asText())).orElse(null);
            if (user == null) {
                throw notMember();
            }
            principal = Principal.of(state, user);
        }
        if (principal.disabled) {
            throw new ApiError(403, "", "The user with SystemUserId=" + principal.systemUserId + " in OrganizationContext="
                    + EmulatorIdentities.ORGANIZATION_ID + " is disabled. Disabled users cannot access the system."
                    + " Consider enabling this user. Also, users are disabled if they don't have a license assigned to them.");
        }
        return principal;
    }

    private static ApiError notMember() {
        return new ApiError(403, "0x80072560", "The user is not a member of the organization.");
    }

    // ------------------------------------------------------------------ responses

    ApiResponse error(ApiError e, ApiRequest request) {
        return errorResponse(e, request);
    }

    static ApiResponse errorResponse(ApiError e, ApiRequest request) {
        Map<String, String> prefs = request.preferences();
        Annotations annotations = Annotations.parse(prefs.get("odata.include-annotations"));
        ApiResponse response = ApiResponse.json(e.status, json -> writeError(json, e, annotations));
        for (Map.Entry<String, String> h : e.headers.entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        return response;
    }

    static void writeError(JsonGenerator json, ApiError e, Annotations annotations) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("error");
        json.writeStringField("code", e.code);
        json.writeStringField("message", e.getMessage());
        if (annotations.includes("Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus")) {
            json.writeStringField("@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus", "0");
        }
        if (annotations.includes("Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode")) {
            json.writeStringField("@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode",
                    e.code.startsWith("0x") ? Integer.toString((int) Long.parseLong(e.code.substring(2), 16)) : "");
        }
        if (annotations.includes("Microsoft.PowerApps.CDS.HelpLink")) {
            json.writeStringField("@Microsoft.PowerApps.CDS.HelpLink",
                    "http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a"
                            + e.code.replace("0x", "") + "&client=platform");
        }
        if (annotations.includes("Microsoft.PowerApps.CDS.TraceText")) {
            json.writeStringField("@Microsoft.PowerApps.CDS.TraceText", "");
        }
        if (annotations.includes("Microsoft.PowerApps.CDS.InnerError.Message")) {
            json.writeStringField("@Microsoft.PowerApps.CDS.InnerError.Message", e.getMessage());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private void write(HttpExchange exchange, ApiRequest request, ApiResponse response) throws IOException {
        if (response.dropConnection) {
            // the write was applied; answer nothing and close the connection
            exchange.close();
            return;
        }
        var headers = exchange.getResponseHeaders();
        for (Map.Entry<String, List<String>> h : response.headers.entrySet()) {
            headers.put(h.getKey(), h.getValue());
        }
        headers.set("OData-Version", "4.0");
        String requestId = UUID.randomUUID().toString();
        headers.set("REQ_ID", requestId);
        headers.set("x-ms-service-request-id", requestId);
        headers.set("x-ms-dop-hint", Integer.toString(ctx.dopHint));
        if (response.body == null || "HEAD".equals(request.method)) {
            exchange.sendResponseHeaders(response.status, -1);
            exchange.close();
            return;
        }
        // Dataverse compresses answers for clients that accept gzip (HTTP content coding)
        String acceptEncoding = request.header("Accept-Encoding");
        boolean gzip = acceptEncoding != null && acceptEncoding.toLowerCase(java.util.Locale.ROOT).contains("gzip")
                && (response.length < 0 || response.length > 1024);
        if (gzip) {
            headers.set("Content-Encoding", "gzip");
            headers.set("Vary", "Accept-Encoding");
            exchange.sendResponseHeaders(response.status, 0);
        } else {
            exchange.sendResponseHeaders(response.status, response.length >= 0 ? (response.length == 0 ? -1 : response.length) : 0);
        }
        try (OutputStream out = new BufferedOutputStream(gzip ? new FastGzipOutputStream(exchange.getResponseBody())
                : exchange.getResponseBody(), 1 << 16)) {
            response.body.writeTo(out);
        } finally {
            exchange.close();
        }
    }

    /** gzip at the fastest level: the emulator's CPU is shared with the client in tests and benchmarks. */
    private static final class FastGzipOutputStream extends java.util.zip.GZIPOutputStream {
        FastGzipOutputStream(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(java.util.zip.Deflater.BEST_SPEED);
        }
    }

    static void sleep(Duration d) {
        if (d != null && !d.isZero() && !d.isNegative()) {
            try {
                Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
