package org.dataversebackup.emulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Issues and validates the emulator's access and refresh tokens (HS256 JWTs with a key per emulator
 * instance), and revokes all tokens issued so far on request.
 */
final class Tokens {
    private final byte[] key = new byte[32];
    private final AtomicLong serial = new AtomicLong(1);
    private volatile long revokedBelow = 0;
    private final Clock clock;
    private final String tenantId;
    private volatile Duration lifetime;

    Tokens(Clock clock, String tenantId, Duration lifetime) {
        new SecureRandom().nextBytes(key);
        this.clock = clock;
        this.tenantId = tenantId;
        this.lifetime = lifetime;
    }

    Duration lifetime() {
        return lifetime;
    }

    void lifetime(Duration lifetime) {
        this.lifetime = lifetime;
    }

    void revokeAll() {
        revokedBelow = serial.get();
    }

    /** Who a token was issued to. */
    record Subject(String clientId, UUID objectId, String userPrincipalName, String name, boolean app, String authMethod) {
    }

    String accessToken(Subject subject, String audience) {
        long now = clock.instant().getEpochSecond();
        ObjectNode claims = Jwt.JSON.createObjectNode();
        claims.put("aud", audience);
        claims.put("iss", "https://sts.windows.net/" + tenantId + "/");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + lifetime.toSeconds());
        claims.put("appid", subject.clientId());
        claims.put("appidacr", subject.authMethod());
        claims.put("idtyp", subject.app() ? "app" : "user");
        claims.put("oid", subject.objectId().toString());
        claims.put("sub", subject.objectId().toString());
        claims.put("tid", tenantId);
        claims.put("ver", "1.0");
        if (!subject.app()) {
            claims.put("scp", "user_impersonation");
            claims.put("upn", subject.userPrincipalName());
            claims.put("unique_name", subject.userPrincipalName());
            claims.put("name", subject.name());
        }
        claims.put("uti", UUID.randomUUID().toString());
        claims.put("emu_seq", serial.getAndIncrement());
        return Jwt.hs256(claims, key);
    }

    String refreshToken(Subject subject, String scope) {
        ObjectNode claims = Jwt.JSON.createObjectNode();
        claims.put("typ", "refresh");
        claims.put("client_id", subject.clientId().toLowerCase(Locale.ROOT));
        claims.put("oid", subject.objectId().toString());
        claims.put("scope", scope);
        claims.put("iat", clock.instant().getEpochSecond());
        claims.put("rid", UUID.randomUUID().toString());
        return "0.EMU." + Jwt.hs256(claims, key);
    }

    /** The claims of a refresh token issued by this emulator, or null. */
    ObjectNode readRefreshToken(String token) {
        if (token == null || !token.startsWith("0.EMU.")) {
            return null;
        }
        Jwt.Parsed jwt = Jwt.parse(token.substring("0.EMU.".length()));
        if (jwt == null || !Jwt.verifyHs256(jwt, key) || !"refresh".equals(jwt.payload().path("typ").asText())) {
            return null;
        }
        return jwt.payload();
    }

    enum Check { OK, INVALID, EXPIRED }

    record Validation(Check check, ObjectNode claims) {
    }

    /** Validates an access token for one of the accepted audiences. */
    Validation validate(String token, java.util.Set<String> audiences) {
        Jwt.Parsed jwt = Jwt.parse(token);
        if (jwt == null || !Jwt.verifyHs256(jwt, key)) {
            return new Validation(Check.INVALID, null);
        }
        ObjectNode claims = jwt.payload();
        String aud = claims.path("aud").asText("");
        if (!audiences.contains(stripSlash(aud).toLowerCase(Locale.ROOT))
                || !tenantId.equalsIgnoreCase(claims.path("tid").asText())
                || claims.path("emu_seq").asLong(-1) < revokedBelow) {
            return new Validation(Check.INVALID, claims);
        }
        if (claims.path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
            return new Validation(Check.EXPIRED, claims);
        }
        return new Validation(Check.OK, claims);
    }

    static String stripSlash(String s) {
        String r = s;
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
