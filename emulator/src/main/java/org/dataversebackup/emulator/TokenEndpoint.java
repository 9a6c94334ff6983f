package org.dataversebackup.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The Entra ID side: {@code /{tenant}/oauth2/v2.0/token}, {@code /{tenant}/oauth2/v2.0/devicecode},
 * OpenID discovery and keys, {@code /common/userrealm/{user}} and a tiny device login page. Errors
 * use Entra's JSON shape (error, error_description "AADSTSnnnn: ...", error_codes, timestamp,
 * trace_id, correlation_id, error_uri) with Entra's HTTP statuses.
 */
final class TokenEndpoint {
    static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final DateTimeFormatter AAD_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final EmulatorState state;
    private final Tokens tokens;
    private final Clock clock;
    private final String tenantId;
    private final String baseUrl;
    private final Set<String> resources;
    private final AtomicLong tokenRequests = new AtomicLong();
    private final Map<String, DeviceCode> deviceCodes = new ConcurrentHashMap<>();
    private volatile String autoApproveUser;
    private volatile int deviceCodeIntervalSeconds;

    /** A pending device authorization. */
    static final class DeviceCode {
        final String deviceCode;
        final String userCode;
        final String clientId;
        final String scope;
        final Instant expiresAt;
        volatile EmulatorUser approvedBy;
        volatile boolean declined;
        volatile boolean redeemed;

        DeviceCode(String deviceCode, String userCode, String clientId, String scope, Instant expiresAt) {
            this.deviceCode = deviceCode;
            this.userCode = userCode;
            this.clientId = clientId;
            this.scope = scope;
            this.expiresAt = expiresAt;
        }
    }

    /** An AADSTS error. */
    static final class AadException extends Exception {
        final int status;
        final String error;
        final int code;
        final String description;
        final String suberror;

        AadException(int status, String error, int code, String description) {
            this(status, error, code, description, null);
        }

        AadException(int status, String error, int code, String description, String suberror) {
            super("AADSTS" + code + ": " + description);
            this.status = status;
            this.error = error;
            this.code = code;
            this.description = description;
            this.suberror = suberror;
        }
    }

    TokenEndpoint(EmulatorState state, Tokens tokens, Clock clock, String tenantId, String baseUrl,
            Set<String> resources, String autoApproveUser, int deviceCodeIntervalSeconds) {
        this.state = state;
        this.tokens = tokens;
        this.clock = clock;
        this.tenantId = tenantId;
        this.baseUrl = baseUrl;
        this.resources = resources;
        this.autoApproveUser = autoApproveUser;
        this.deviceCodeIntervalSeconds = deviceCodeIntervalSeconds;
    }

    long tokenRequests() {
        return tokenRequests.get();
    }

    void autoApproveDeviceCodes(String userPrincipalName) {
        this.autoApproveUser = userPrincipalName;
    }

    /** Approves a pending device code (by user code) for a user; false when there is no such pending code. */
    boolean approveDeviceCode(String userCode, String userPrincipalName) {
        EmulatorUser user = state.user(userPrincipalName)
                .orElseThrow(() -> new IllegalArgumentException("No user " + userPrincipalName));
        for (DeviceCode code : deviceCodes.values()) {
            if (code.userCode.equalsIgnoreCase(userCode) && code.approvedBy == null && !code.redeemed) {
                code.approvedBy = user;
                return true;
            }
        }
        return false;
    }

    boolean declineDeviceCode(String userCode) {
        for (DeviceCode code : deviceCodes.values()) {
            if (code.userCode.equalsIgnoreCase(userCode) && !code.redeemed) {
                code.declined = true;
                return true;
            }
        }
        return false;
    }

    List<String> pendingDeviceUserCodes() {
        List<String> result = new ArrayList<>();
        Instant now = clock.instant();
        for (DeviceCode code : deviceCodes.values()) {
            if (code.approvedBy == null && !code.declined && !code.redeemed && now.isBefore(code.expiresAt)) {
                result.add(code.userCode);
            }
        }
        return result;
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        String[] segments = path.substring(1).split("/");
        try {
            if (segments.length >= 3 && "common".equals(segments[0]) && "userrealm".equals(segments[1]) && "GET".equals(method)) {
                userRealm(exchange, Http.decode(segments[2]));
                return;
            }
            if (segments.length >= 1 && "devicelogin".equals(segments[0])) {
                deviceLogin(exchange);
                return;
            }
            String tail = segments.length > 1 ? path.substring(segments[0].length() + 1) : "";
            String tenant = Http.decode(segments[0]);
            if (("/v2.0/.well-known/openid-configuration".equals(tail) || "/.well-known/openid-configuration".equals(tail))
                    && "GET".equals(method)) {
                checkTenant(tenant);
                sendJson(exchange, 200, openIdConfiguration());
                return;
            }
            if ("/discovery/v2.0/keys".equals(tail) && "GET".equals(method)) {
                sendJson(exchange, 200, keys());
                return;
            }
            if ("/oauth2/v2.0/token".equals(tail) && "POST".equals(method)) {
                tokenRequests.incrementAndGet();
                checkTenant(tenant);
                Map<String, String> form = Http.parseForm(new String(Http.readAll(exchange.getRequestBody()), StandardCharsets.UTF_8));
                sendJson(exchange, 200, token(form, Http.header(exchange, "Authorization")));
                return;
            }
            if ("/oauth2/v2.0/devicecode".equals(tail) && "POST".equals(method)) {
                checkTenant(tenant);
                Map<String, String> form = Http.parseForm(new String(Http.readAll(exchange.getRequestBody()), StandardCharsets.UTF_8));
                sendJson(exchange, 200, deviceCode(form));
                return;
            }
            Http.send(exchange, 404, "text/plain; charset=utf-8",
                    ("Not found: " + method + " " + path).getBytes(StandardCharsets.UTF_8));
        } catch (AadException e) {
            sendJson(exchange, e.status, errorBody(e));
        }
    }

    // ------------------------------------------------------------------ endpoints

    private void userRealm(HttpExchange exchange, String user) throws IOException {
        String domain = user.contains("@") ? user.substring(user.indexOf('@') + 1) : "";
        boolean known = state.user(user).isPresent() || EmulatorIdentities.DOMAIN.equalsIgnoreCase(domain);
        ObjectNode body = Jwt.JSON.createObjectNode();
        body.put("ver", "1.0");
        body.put("account_type", known ? "Managed" : "Unknown");
        body.put("domain_name", domain);
        body.put("cloud_instance_name", "microsoftonline.com");
        body.put("cloud_audience_urn", "urn:federation:MicrosoftOnline");
        sendJson(exchange, 200, body);
    }

    private ObjectNode openIdConfiguration() {
        String authority = baseUrl + "/" + tenantId;
        ObjectNode body = Jwt.JSON.createObjectNode();
        body.put("token_endpoint", authority + "/oauth2/v2.0/token");
        body.putArray("token_endpoint_auth_methods_supported")
                .add("client_secret_post").add("private_key_jwt").add("client_secret_basic");
        body.put("jwks_uri", authority + "/discovery/v2.0/keys");
        body.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
        body.putArray("subject_types_supported").add("pairwise");
        body.putArray("id_token_signing_alg_values_supported").add("RS256");
        body.putArray("response_types_supported").add("code").add("id_token").add("code id_token").add("id_token token");
        body.putArray("scopes_supported").add("openid").add("profile").add("email").add("offline_access");
        body.put("issuer", authority + "/v2.0");
        body.put("request_uri_parameter_supported", false);
        body.put("userinfo_endpoint", authority + "/openid/userinfo");
        body.put("authorization_endpoint", authority + "/oauth2/v2.0/authorize");
        body.put("device_authorization_endpoint", authority + "/oauth2/v2.0/devicecode");
        body.put("http_logout_supported", true);
        body.put("frontchannel_logout_supported", true);
        body.put("end_session_endpoint", authority + "/oauth2/v2.0/logout");
        body.putArray("claims_supported").add("sub").add("iss").add("aud").add("exp").add("iat").add("nbf")
                .add("name").add("oid").add("preferred_username").add("tid").add("ver");
        body.put("tenant_region_scope", "NA");
        body.put("cloud_instance_name", "microsoftonline.com");
        body.put("cloud_graph_host_name", "graph.windows.net");
        body.put("msgraph_host", "graph.microsoft.com");
        return body;
    }

    private ObjectNode keys() {
        Tls.Material tls = Tls.tlsMaterial();
        RSAPublicKey key = (RSAPublicKey) tls.keyPair().getPublic();
        ObjectNode body = Jwt.JSON.createObjectNode();
        ArrayNode keys = body.putArray("keys");
        ObjectNode jwk = keys.addObject();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("kid", tls.sha1Thumbprint());
        jwk.put("x5t", tls.sha1Thumbprint());
        jwk.put("n", Jwt.base64Url(unsigned(key.getModulus().toByteArray())));
        jwk.put("e", Jwt.base64Url(unsigned(key.getPublicExponent().toByteArray())));
        jwk.putArray("x5c").add(Base64.getEncoder().encodeToString(encoded(tls)));
        jwk.put("issuer", baseUrl + "/" + tenantId + "/v2.0");
        return body;
    }

    private static byte[] encoded(Tls.Material m) {
        try {
            return m.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private ObjectNode deviceCode(Map<String, String> form) throws AadException {
        EmulatorApp app = knownClient(form.get("client_id"));
        String scope = form.getOrDefault("scope", "");
        Scopes scopes = Scopes.parse(scope);
        String resource = checkDelegatedResource(scopes);
        if (!app.adminConsent()) {
            throw consent(app, resource);
        }
        String userCode = randomUserCode();
        String device = UUID.randomUUID() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        DeviceCode code = new DeviceCode(device, userCode, app.clientId(), scope, clock.instant().plusSeconds(900));
        String auto = autoApproveUser;
        if (auto != null) {
            code.approvedBy = state.user(auto).orElse(null);
        }
        deviceCodes.put(device, code);
        String verification = baseUrl + "/devicelogin";
        ObjectNode body = Jwt.JSON.createObjectNode();
        body.put("user_code", userCode);
        body.put("device_code", device);
        body.put("verification_uri", verification);
        body.put("expires_in", 900);
        body.put("interval", deviceCodeIntervalSeconds);
        body.put("message", "To sign in, use a web browser to open the page " + verification + " and enter the code "
                + userCode + " to authenticate.");
        return body;
    }

    private static String randomUserCode() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            b.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private ObjectNode token(Map<String, String> form, String authorization) throws AadException {
        String grant = form.get("grant_type");
        if (grant == null || grant.isEmpty()) {
            throw missingParameter("grant_type");
        }
        // client_secret_basic: Authorization: Basic base64(client_id:client_secret)
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                form.putIfAbsent("client_id", Http.decode(decoded.substring(0, colon)));
                form.putIfAbsent("client_secret", Http.decode(decoded.substring(colon + 1)));
            }
        }
        switch (grant) {
            case "client_credentials":
                return clientCredentials(form);
            case "password":
                return password(form);
            case "refresh_token":
                return refresh(form);
            case DEVICE_CODE_GRANT:
            case "device_code":
                return deviceCodeGrant(form);
            default:
                throw new AadException(400, "unsupported_grant_type", 70003,
                        "The app requested an unsupported grant type '" + grant + "'.");
        }
    }

    private ObjectNode clientCredentials(Map<String, String> form) throws AadException {
        EmulatorApp app = knownClient(form.get("client_id"));
        String method = authenticateClient(app, form, true);
        Scopes scopes = Scopes.parse(form.get("scope"));
        if (scopes.resourceScopes.isEmpty()) {
            throw missingParameter("scope");
        }
        String scope = scopes.resourceScopes.get(0);
        if (!scope.endsWith("/.default")) {
            throw new AadException(400, "invalid_scope", 1002012, "The provided value for scope " + scope
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed to the"
                    + " resource identifier (application ID URI).");
        }
        String resource = checkResource(scope);
        if (!app.adminConsent()) {
            throw consent(app, resource);
        }
        Tokens.Subject subject = new Tokens.Subject(app.clientId(), app.objectId(), null, app.name(), true, method);
        ObjectNode body = Jwt.JSON.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.lifetime().toSeconds());
        body.put("ext_expires_in", tokens.lifetime().toSeconds());
        body.put("access_token", tokens.accessToken(subject, audience(resource)));
        return body;
    }

    private ObjectNode password(Map<String, String> form) throws AadException {
        EmulatorApp app = knownClient(form.get("client_id"));
        if (form.containsKey("client_secret") || form.containsKey("client_assertion")) {
            authenticateClient(app, form, false);
        }
        String username = form.get("username");
        if (username == null) {
            throw missingParameter("username");
        }
        Scopes scopes = Scopes.parse(form.get("scope"));
        String resource = checkDelegatedResource(scopes);
        EmulatorUser user = state.user(username).orElse(null);
        if (user == null || !user.password().equals(form.get("password"))) {
            throw new AadException(400, "invalid_grant", 50126,
                    "Error validating credentials due to invalid username or password.");
        }
        if (!user.accountEnabled()) {
            throw new AadException(400, "invalid_grant", 50057, "The user account is disabled.");
        }
        if (user.mfaRequired()) {
            throw new AadException(400, "invalid_grant", 50076, "Due to a configuration change made by your"
                    + " administrator, or because you moved to a new location, you must use multi-factor"
                    + " authentication to access '" + resource + "'.", "basic_action");
        }
        if (!app.adminConsent()) {
            throw consent(app, resource);
        }
        return userTokens(app, user, scopes, resource);
    }

    private ObjectNode refresh(Map<String, String> form) throws AadException {
        EmulatorApp app = knownClient(form.get("client_id"));
        if (form.containsKey("client_secret") || form.containsKey("client_assertion")) {
            authenticateClient(app, form, false);
        }
        String refreshToken = form.get("refresh_token");
        if (refreshToken == null) {
            throw missingParameter("refresh_token");
        }
        ObjectNode claims = tokens.readRefreshToken(refreshToken);
        if (claims == null) {
            throw new AadException(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
        }
        if (!app.clientId().equalsIgnoreCase(claims.path("client_id").asText())) {
            throw new AadException(400, "invalid_grant", 70000,
                    "Provided grant is invalid or malformed. The refresh token was issued to a different client.");
        }
        EmulatorUser user = state.userByObjectId(UUID.fromString(claims.path("oid").asText())).orElse(null);
        if (user == null) {
            throw new AadException(400, "invalid_grant", 50034, "The user account does not exist in the "
                    + tenantId + " directory.");
        }
        if (!user.accountEnabled()) {
            throw new AadException(400, "invalid_grant", 50057, "The user account is disabled.");
        }
        String scopeText = form.getOrDefault("scope", claims.path("scope").asText());
        Scopes scopes = Scopes.parse(scopeText);
        String resource = checkDelegatedResource(scopes);
        return userTokens(app, user, scopes, resource);
    }

    private ObjectNode deviceCodeGrant(Map<String, String> form) throws AadException {
        EmulatorApp app = knownClient(form.get("client_id"));
        String device = form.get("device_code");
        if (device == null) {
            throw missingParameter("device_code");
        }
        DeviceCode code = deviceCodes.get(device);
        if (code == null || !code.clientId.equalsIgnoreCase(app.clientId())) {
            throw new AadException(400, "invalid_grant", 70000, "Provided grant is invalid or malformed.");
        }
        if (clock.instant().isAfter(code.expiresAt)) {
            throw new AadException(400, "expired_token", 70020,
                    "The provided value for the input parameter 'device_code' is not valid. This device code has expired.");
        }
        if (code.declined) {
            throw new AadException(400, "authorization_declined", 70019,
                    "The end user declined the authorization request.");
        }
        if (code.redeemed) {
            throw new AadException(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed,"
                    + " please retry with a new valid code or use an existing refresh token.");
        }
        EmulatorUser user = code.approvedBy;
        if (user == null) {
            throw new AadException(400, "authorization_pending", 70016,
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
        }
        code.redeemed = true;
        Scopes scopes = Scopes.parse(code.scope);
        String resource = checkDelegatedResource(scopes);
        return userTokens(app, user, scopes, resource);
    }

    private ObjectNode userTokens(EmulatorApp app, EmulatorUser user, Scopes scopes, String resource) {
        Tokens.Subject subject = new Tokens.Subject(app.clientId(), user.objectId(), user.userPrincipalName(),
                user.fullName(), false, "0");
        long now = clock.instant().getEpochSecond();
        ObjectNode body = Jwt.JSON.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("scope", String.join(" ", scopes.resourceScopes));
        body.put("expires_in", tokens.lifetime().toSeconds());
        body.put("ext_expires_in", tokens.lifetime().toSeconds());
        body.put("access_token", tokens.accessToken(subject, audience(resource)));
        body.put("refresh_token", tokens.refreshToken(subject, String.join(" ", scopes.all)));
        ObjectNode idClaims = Jwt.JSON.createObjectNode();
        idClaims.put("aud", app.clientId());
        idClaims.put("iss", baseUrl + "/" + tenantId + "/v2.0");
        idClaims.put("iat", now);
        idClaims.put("nbf", now);
        idClaims.put("exp", now + 3600);
        idClaims.put("name", user.fullName());
        idClaims.put("oid", user.objectId().toString());
        idClaims.put("preferred_username", user.userPrincipalName());
        idClaims.put("sub", user.objectId().toString());
        idClaims.put("tid", tenantId);
        idClaims.put("ver", "2.0");
        ObjectNode header = Jwt.JSON.createObjectNode().put("typ", "JWT").put("kid", Tls.tlsMaterial().sha1Thumbprint());
        body.put("id_token", Jwt.rs256(header, idClaims, Tls.tlsMaterial().keyPair().getPrivate()));
        ObjectNode clientInfo = Jwt.JSON.createObjectNode().put("uid", user.objectId().toString()).put("utid", tenantId);
        body.put("client_info", Jwt.base64Url(clientInfo.toString().getBytes(StandardCharsets.UTF_8)));
        return body;
    }

    // ------------------------------------------------------------------ checks

    private void checkTenant(String tenant) throws AadException {
        if (!tenantId.equalsIgnoreCase(tenant) && !"organizations".equalsIgnoreCase(tenant)
                && !"common".equalsIgnoreCase(tenant) && !EmulatorIdentities.DOMAIN.equalsIgnoreCase(tenant)) {
            throw new AadException(400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make"
                    + " sure you have the correct tenant ID and are signing into the correct cloud. Check with your"
                    + " subscription administrator, this may happen if there are no active subscriptions for the tenant.");
        }
    }

    private EmulatorApp knownClient(String clientId) throws AadException {
        if (clientId == null || clientId.isEmpty()) {
            throw missingParameter("client_id");
        }
        return state.application(clientId).orElseThrow(() -> new AadException(400, "unauthorized_client", 700016,
                "Application with identifier '" + clientId + "' was not found in the directory '" + tenantId
                        + "'. This can happen if the application has not been installed by the administrator of the"
                        + " tenant or consented to by any user in the tenant. You may have sent your authentication"
                        + " request to the wrong tenant."));
    }

    /** Checks the client secret or client assertion; returns appidacr ("1" secret, "2" certificate). */
    private String authenticateClient(EmulatorApp app, Map<String, String> form, boolean required) throws AadException {
        String secret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        if (assertion != null) {
            if (!JWT_BEARER.equals(form.get("client_assertion_type"))) {
                throw new AadException(400, "invalid_request", 50027, "The client_assertion_type is not supported or"
                        + " is invalid: '" + form.get("client_assertion_type") + "'.");
            }
            checkAssertion(app, assertion);
            return "2";
        }
        if (secret != null) {
            if (!app.secrets().contains(secret)) {
                throw new AadException(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the"
                        + " secret being sent in the request is the client secret value, not the client secret ID,"
                        + " for a secret added to app '" + app.clientId() + "'.");
            }
            return "1";
        }
        if (required) {
            throw new AadException(401, "invalid_client", 7000218, "The request body must contain the following"
                    + " parameter: 'client_assertion' or 'client_secret'.");
        }
        return "0";
    }

    private void checkAssertion(EmulatorApp app, String assertion) throws AadException {
        Jwt.Parsed jwt = Jwt.parse(assertion);
        if (jwt == null) {
            throw new AadException(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
        }
        if (app.certificate() == null) {
            throw new AadException(401, "invalid_client", 700027, "Client assertion failed signature validation."
                    + " Reason - The key was not found. The application has no certificate credential.");
        }
        Tls.Material registered = new Tls.Material(null, app.certificate());
        String x5t = jwt.header().path("x5t").asText(null);
        String x5tS256 = jwt.header().path("x5t#S256").asText(null);
        // Entra ID accepts the thumbprint base64url or base64 encoded (msal4j sends the latter)
        boolean thumbprintMatches = sameBytes(x5t, registered.sha1Thumbprint()) || sameBytes(x5tS256, registered.sha256Thumbprint());
        if (!thumbprintMatches) {
            throw new AadException(401, "invalid_client", 700027, "Client assertion failed signature validation."
                    + " Reason - The key was not found., Thumbprint of key used by client: '"
                    + (x5t != null ? x5t : x5tS256) + "'. Please visit the Azure Portal, Graph Explorer or directly"
                    + " use MS Graph to see configured keys for app Id '" + app.clientId() + "'.");
        }
        if (!Jwt.verifyRsa(jwt, app.certificate().getPublicKey())) {
            throw new AadException(401, "invalid_client", 700027, "Client assertion failed signature validation.");
        }
        ObjectNode claims = jwt.payload();
        long now = clock.instant().getEpochSecond();
        if (claims.path("exp").asLong(0) < now - 300 || claims.path("nbf").asLong(0) > now + 300) {
            throw new AadException(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
        }
        if (!app.clientId().equalsIgnoreCase(claims.path("iss").asText()) || !app.clientId().equalsIgnoreCase(claims.path("sub").asText())) {
            throw new AadException(401, "invalid_client", 700021, "Client assertion application identifier doesn't"
                    + " match 'client_id' parameter.");
        }
        String aud = claims.path("aud").isArray() ? claims.path("aud").path(0).asText() : claims.path("aud").asText();
        String tokenEndpoint = "/" + tenantId + "/oauth2/v2.0/token";
        if (!Tokens.stripSlash(aud).toLowerCase(Locale.ROOT).endsWith(tokenEndpoint.toLowerCase(Locale.ROOT))
                && !Tokens.stripSlash(aud).equalsIgnoreCase(baseUrl + "/" + tenantId + "/v2.0")
                && !Tokens.stripSlash(aud).equalsIgnoreCase(baseUrl + "/" + tenantId)) {
            throw new AadException(401, "invalid_client", 50027, "JWT token is invalid or malformed. Invalid audience in"
                    + " the client assertion: '" + aud + "'; expected the token endpoint " + baseUrl + tokenEndpoint + ".");
        }
    }

    private static boolean sameBytes(String sent, String expectedBase64Url) {
        if (sent == null) {
            return false;
        }
        try {
            byte[] a = Base64.getUrlDecoder().decode(sent.replace('+', '-').replace('/', '_').replace("=", ""));
            return java.security.MessageDigest.isEqual(a, Base64.getUrlDecoder().decode(expectedBase64Url));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private String checkDelegatedResource(Scopes scopes) throws AadException {
        if (scopes.resourceScopes.isEmpty()) {
            throw new AadException(400, "invalid_scope", 70011, "The provided request must include a 'scope' input"
                    + " parameter naming the Dataverse environment, e.g. '" + baseUrl + "/user_impersonation'.");
        }
        String scope = scopes.resourceScopes.get(0);
        if (!scope.endsWith("/user_impersonation") && !scope.endsWith("/.default")) {
            throw new AadException(400, "invalid_scope", 65005, "The application '" + scope + "' asked for scope '"
                    + scope.substring(scope.lastIndexOf('/') + 1) + "' that doesn't exist on the resource.");
        }
        return checkResource(scope);
    }

    /** The resource of a scope, which must be this environment. */
    private String checkResource(String scope) throws AadException {
        String resource = Tokens.stripSlash(scope.substring(0, scope.lastIndexOf('/')));
        if (!resources.contains(resource.toLowerCase(Locale.ROOT))) {
            throw new AadException(400, "invalid_resource", 500011, "The resource principal named " + resource
                    + " was not found in the tenant named " + tenantId + ". This can happen if the application has not"
                    + " been installed by the administrator of the tenant or consented to by any user in the tenant."
                    + " You might have sent your authentication request to the wrong tenant.");
        }
        return resource;
    }

    private static String audience(String resource) {
        return resource;
    }

    private AadException consent(EmulatorApp app, String resource) {
        return new AadException(400, "invalid_grant", 65001, "The user or administrator has not consented to use the"
                + " application with ID '" + app.clientId() + "' named '" + app.name() + "'. Send an interactive"
                + " authorization request for this user and resource.", "consent_required");
    }

    private static AadException missingParameter(String name) {
        return new AadException(400, "invalid_request", 900144,
                "The request body must contain the following parameter: '" + name + "'.");
    }

    private ObjectNode errorBody(AadException e) {
        String traceId = UUID.randomUUID().toString();
        String correlationId = UUID.randomUUID().toString();
        String timestamp = AAD_TIME.format(clock.instant());
        ObjectNode body = Jwt.JSON.createObjectNode();
        body.put("error", e.error);
        body.put("error_description", "AADSTS" + e.code + ": " + e.description + "\r\nTrace ID: " + traceId
                + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + timestamp);
        body.putArray("error_codes").add(e.code);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", baseUrl + "/error?code=" + e.code);
        if (e.suberror != null) {
            body.put("suberror", e.suberror);
        }
        if (e.code == 50076) {
            body.put("claims", "{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\""
                    + UUID.nameUUIDFromBytes("mfa".getBytes(StandardCharsets.UTF_8)) + "\"]}}}");
        }
        return body;
    }

    // ------------------------------------------------------------------ device login page

    private void deviceLogin(HttpExchange exchange) throws IOException {
        String message;
        if ("POST".equals(exchange.getRequestMethod())) {
            Map<String, String> form = Http.parseForm(new String(Http.readAll(exchange.getRequestBody()), StandardCharsets.UTF_8));
            EmulatorUser user = state.user(form.getOrDefault("username", "")).orElse(null);
            if (user == null || !user.password().equals(form.get("password"))) {
                message = "Wrong user name or password.";
            } else if (approveDeviceCode(form.getOrDefault("code", ""), user.userPrincipalName())) {
                message = "Signed in as " + user.userPrincipalName() + ". You can close this page.";
            } else {
                message = "No pending sign-in with that code.";
            }
        } else {
            message = "Enter the code shown by the application, and a user of the emulator.";
        }
        String html = "<!doctype html><html><head><title>Dataverse emulator sign-in</title></head><body>"
                + "<h1>Dataverse emulator: device sign-in</h1><p>" + escape(message) + "</p>"
                + "<form method=\"post\"><p>Code <input name=\"code\"></p><p>User <input name=\"username\" value=\""
                + EmulatorIdentities.ADMIN_USER + "\"></p><p>Password <input name=\"password\" type=\"password\"></p>"
                + "<p><button type=\"submit\">Sign in</button></p></form></body></html>";
        Http.send(exchange, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store, no-cache");
        exchange.getResponseHeaders().set("Pragma", "no-cache");
        Http.send(exchange, status, "application/json; charset=utf-8", Jwt.JSON.writeValueAsBytes(body));
    }

    /** Requested scopes: resource scopes (URLs) and the OpenID ones. */
    static final class Scopes {
        final List<String> all = new ArrayList<>();
        final List<String> resourceScopes = new ArrayList<>();

        static Scopes parse(String text) {
            Scopes scopes = new Scopes();
            Set<String> seen = new LinkedHashSet<>();
            if (text != null) {
                for (String s : text.trim().split("\\s+")) {
                    if (!s.isEmpty() && seen.add(s)) {
                        scopes.all.add(s);
                        if (s.contains("/")) {
                            scopes.resourceScopes.add(s);
                        }
                    }
                }
            }
            return scopes;
        }
    }
}
