package org.dataversebackup.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.dataversebackup.dataverse.AccessTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the connection account's access token for the Dataverse environment, the way Camel's
 * {@code SalesforceSession} owns its session: every Dataverse call takes {@link #current()}; the
 * token is renewed before it expires (5 minutes before, or after four fifths of a short lifetime);
 * a 401 renews it once per rejected token ({@link #renewAfterRejection(String)}), after which the
 * caller replays its request.
 *
 * <p>Thread-safe: any number of callers asking at once cause one token request; while one caller
 * renews a token that is still valid, the others go on using it. Tokens and secrets are never
 * logged (and {@link LogMasking} masks them should a library log them).
 */
public final class DataverseTokenProvider implements AccessTokens {
    private static final Logger LOG = LoggerFactory.getLogger(DataverseTokenProvider.class);
    /** After a failed renewal of a still-valid token, wait this long before trying again. */
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    private final AuthSettings settings;
    private final TokenSource client;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    private volatile Current token;
    private volatile Instant nextAttempt = Instant.MIN;

    private record Current(IssuedToken issued, Instant refreshAt) {
    }

    private DataverseTokenProvider(AuthSettings settings, TokenSource client, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
    }

    /** A provider for the settings; device code sign-ins are shown on standard error. */
    public static DataverseTokenProvider create(AuthSettings settings) {
        return builder(settings).build();
    }

    public static Builder builder(AuthSettings settings) {
        return new Builder(settings);
    }

    public AuthSettings settings() {
        return settings;
    }

    /** The token cache file of {@code device-code} mode. */
    public Optional<java.nio.file.Path> tokenCacheFile() {
        return client.cacheFile().map(TokenCacheFile::file);
    }

    @Override
    public String current() {
        Instant now = clock.instant();
        Current t = token;
        if (t != null && now.isBefore(t.refreshAt())) {
            return t.issued().value();
        }
        if (t != null && !t.issued().expired(now)) {
            // due for renewal but still valid: one caller renews, the others keep using it meanwhile
            if (now.isBefore(nextAttempt) || !lock.tryLock()) {
                return t.issued().value();
            }
            try {
                Current latest = token;
                if (latest != t) {
                    return latest.issued().value();
                }
                return renew(false, "renewed before expiry").issued().value();
            } catch (AuthenticationException e) {
                nextAttempt = clock.instant().plus(RETRY_AFTER_FAILURE);
                LOG.warn("Renewing the access token failed; the current one stays in use until {}: {}",
                        t.issued().expiresOn(), e.getMessage());
                return t.issued().value();
            } finally {
                lock.unlock();
            }
        }
        lock.lock();
        try {
            Current latest = token;
            if (latest != null && clock.instant().isBefore(latest.refreshAt())) {
                return latest.issued().value();
            }
            return renew(false, latest == null ? null : "renewed after expiry").issued().value();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String renewAfterRejection(String rejected) {
        lock.lock();
        try {
            Current latest = token;
            if (latest != null && !Objects.equals(latest.issued().value(), rejected)
                    && clock.instant().isBefore(latest.refreshAt())) {
                // another caller has renewed it already
                return latest.issued().value();
            }
            LOG.info("Dataverse rejected the access token (401); requesting a new one.");
            return renew(true, "renewed after a 401").issued().value();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Signs in and returns who is signed in and until when (the {@code login} command). In
     * {@code device-code} mode with {@code force}, the device code sign-in happens even if the token
     * cache holds a sign-in.
     */
    public SignIn signIn(boolean force) {
        lock.lock();
        try {
            IssuedToken issued;
            if (force && settings.mode() == AuthMode.DEVICE_CODE) {
                issued = client.signInInteractively();
                accept(issued, "signed in");
            } else {
                issued = renew(false, null).issued();
            }
            return new SignIn(settings.mode(), issued.account(), settings.authority().toString(), issued.expiresOn(),
                    tokenCacheFile());
        } finally {
            lock.unlock();
        }
    }

    /** The outcome of {@link #signIn(boolean)}. */
    public record SignIn(AuthMode mode, String account, String authority, Instant tokenExpiresOn,
            Optional<java.nio.file.Path> tokenCache) {
    }

    /** Must hold the lock. */
    private Current renew(boolean force, String why) {
        IssuedToken issued = client.acquire(force);
        return accept(issued, why);
    }

    private Current accept(IssuedToken issued, String why) {
        Instant now = clock.instant();
        Current next = new Current(issued, issued.refreshAt(now));
        token = next;
        nextAttempt = Instant.MIN;
        if (why == null) {
            LOG.info("Signed in to {} as {} ({} mode); access token valid until {}.", settings.authority(),
                    issued.account(), settings.mode(), issued.expiresOn());
        } else {
            LOG.debug("Access token {}; valid until {}.", why, issued.expiresOn());
        }
        return next;
    }

    @Override
    public String toString() {
        return "DataverseTokenProvider[" + settings.mode() + ", " + settings.dataverseUrl() + "]";
    }

    public static final class Builder {
        private final AuthSettings settings;
        private DeviceCodePrompt prompt = DeviceCodePrompt.console();
        private boolean interactive = true;
        private Clock clock = Clock.systemUTC();
        private TokenSource source;

        private Builder(AuthSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Where the device code sign-in is shown (default: standard error). */
        public Builder deviceCodePrompt(DeviceCodePrompt prompt) {
            this.prompt = Objects.requireNonNull(prompt, "prompt");
            return this;
        }

        /**
         * Whether a device code sign-in may be started when the token cache holds none (default
         * true: the first run signs in). False fails with a message to run {@code login} instead.
         */
        public Builder interactive(boolean interactive) {
            this.interactive = interactive;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Tests: tokens from elsewhere than msal4j. */
        Builder tokenSource(TokenSource source) {
            this.source = source;
            return this;
        }

        public DataverseTokenProvider build() {
            TokenSource tokens = source != null ? source : new MsalTokenClient(settings, prompt, interactive);
            return new DataverseTokenProvider(settings, tokens, clock);
        }
    }
}
