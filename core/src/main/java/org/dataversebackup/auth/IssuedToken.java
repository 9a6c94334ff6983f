package org.dataversebackup.auth;

import java.time.Duration;
import java.time.Instant;

/** An access token with its expiry, and when to renew it. {@link #toString()} never shows the token. */
record IssuedToken(String value, Instant expiresOn, String account) {

    /** Renew this much before expiry: 5 minutes, or a fifth of the lifetime of short-lived tokens. */
    static final Duration MAX_MARGIN = Duration.ofMinutes(5);

    Instant refreshAt(Instant issuedAt) {
        Duration lifetime = Duration.between(issuedAt, expiresOn);
        if (lifetime.isNegative()) {
            return expiresOn;
        }
        Duration fifth = lifetime.dividedBy(5);
        Duration margin = fifth.compareTo(MAX_MARGIN) < 0 ? fifth : MAX_MARGIN;
        return expiresOn.minus(margin);
    }

    boolean expired(Instant now) {
        return !now.isBefore(expiresOn);
    }

    @Override
    public String toString() {
        return "IssuedToken[****, expiresOn=" + expiresOn + ", account=" + account + "]";
    }
}
