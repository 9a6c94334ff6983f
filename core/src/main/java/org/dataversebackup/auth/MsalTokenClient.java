package org.dataversebackup.auth;

import java.net.MalformedURLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.auth.AuthenticationException.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.microsoft.aad.msal4j.AbstractClientApplicationBase;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;

/**
 * One msal4j application for the configured mode, and the token requests of that mode. Not
 * synchronised itself: {@link DataverseTokenProvider} serialises the calls.
 */
final class MsalTokenClient implements TokenSource {
    private static final Logger LOG = LoggerFactory.getLogger(MsalTokenClient.class);
    private static final AtomicBoolean PASSWORD_WARNING = new AtomicBoolean();
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 30_000;
    /** Longest wait for a non-interactive token request (msal4j retries once on 5xx). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final AuthSettings settings;
    private final AuthErrors errors;
    private final DeviceCodePrompt prompt;
    private final boolean interactive;
    private final TokenCacheFile cacheFile;
    private final ConfidentialClientApplication confidential;
    private final PublicClientApplication publicClient;

    MsalTokenClient(AuthSettings settings, DeviceCodePrompt prompt, boolean interactive) {
        this.settings = settings;
        this.errors = new AuthErrors(settings);
        this.prompt = prompt;
        this.interactive = interactive;
        registerSecrets(settings);
        try {
            switch (settings.mode()) {
                case CLIENT_SECRET, CERTIFICATE -> {
                    this.cacheFile = null;
                    this.publicClient = null;
                    this.confidential = configure(ConfidentialClientApplication.builder(settings.clientId(),
                            credential(settings))).build();
                }
                case DEVICE_CODE -> {
                    this.confidential = null;
                    this.cacheFile = new TokenCacheFile(settings.tokenCache());
                    this.publicClient = configure(PublicClientApplication.builder(settings.clientId()))
                            .setTokenCacheAccessAspect(cacheFile).build();
                }
                case PASSWORD -> {
                    this.confidential = null;
                    this.cacheFile = null;
                    this.publicClient = configure(PublicClientApplication.builder(settings.clientId())).build();
                    if (PASSWORD_WARNING.compareAndSet(false, true)) {
                        LOG.warn("auth.mode=password (ROPC) is deprecated by Microsoft and cannot do multi-factor"
                                + " authentication: prefer an application user (auth.mode=client-secret or"
                                + " certificate) or auth.mode=device-code.");
                    }
                }
                default -> throw new IllegalStateException("mode " + settings.mode());
            }
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new ConfigurationException("Setting '" + AuthSettings.AUTHORITY + "' (" + settings.authority()
                    + ") is not accepted by msal4j: " + e.getMessage());
        }
    }

    private static void registerSecrets(AuthSettings settings) {
        LogMasking.registerSecret(settings.clientSecret());
        LogMasking.registerSecret(settings.password());
        settings.certificatePassword().ifPresent(LogMasking::registerSecret);
    }

    private static IClientCredential credential(AuthSettings settings) {
        if (settings.mode() == AuthMode.CLIENT_SECRET) {
            return ClientCredentialFactory.createFromSecret(settings.clientSecret());
        }
        ClientCertificates.Credential credential = ClientCertificates.load(settings.certificatePath(),
                settings.certificateKeyPath(), settings.certificatePassword());
        LOG.debug("Client certificate {} (thumbprint SHA-1 used by Entra ID), valid until {}",
                credential.certificate().getSubjectX500Principal(), credential.certificate().getNotAfter());
        return ClientCredentialFactory.createFromCertificate(credential.privateKey(), credential.certificate());
    }

    private <B extends AbstractClientApplicationBase.Builder<B>> B configure(B builder) throws MalformedURLException {
        Authority authority = settings.authority();
        builder.authority(authority.url())
                .sslSocketFactory(settings.tls().sslContext().getSocketFactory())
                .connectTimeoutForDefaultHttpClient(CONNECT_TIMEOUT_MS)
                .readTimeoutForDefaultHttpClient(READ_TIMEOUT_MS)
                .logPii(false);
        if (authority.custom()) {
            builder.instanceDiscovery(false);
            String metadata = authority.instanceDiscoveryResponse();
            if (metadata != null) {
                builder.aadInstanceDiscoveryResponse(metadata);
            }
        }
        return builder;
    }

    /** The token cache file ({@code device-code} mode), or empty. */
    @Override
    public Optional<TokenCacheFile> cacheFile() {
        return Optional.ofNullable(cacheFile);
    }

    /**
     * A token for the Dataverse environment.
     *
     * @param force true to bypass msal4j's cache (the current token was rejected)
     */
    @Override
    public IssuedToken acquire(boolean force) {
        try {
            return switch (settings.mode()) {
                case CLIENT_SECRET, CERTIFICATE -> issued(await(confidential.acquireToken(ClientCredentialParameters
                        .builder(settings.scopes()).skipCache(force).build())), "application " + settings.clientId());
                case DEVICE_CODE -> userToken(force, true);
                case PASSWORD -> userToken(force, false);
            };
        } catch (AuthenticationException | ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw failure(e);
        }
    }

    /** A configuration problem met inside msal4j (e.g. the token cache file) stays one; the rest is translated. */
    private RuntimeException failure(Exception e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConfigurationException ce) {
                return ce;
            }
        }
        return errors.translate(e);
    }

    /** The device code sign-in, even when the cache holds an account ({@code login --force}). */
    @Override
    public IssuedToken signInInteractively() {
        try {
            return deviceCode();
        } catch (AuthenticationException | ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw failure(e);
        }
    }

    private IssuedToken userToken(boolean force, boolean deviceCode) throws Exception {
        Optional<IAccount> account = account();
        if (account.isPresent()) {
            try {
                return issued(await(publicClient.acquireTokenSilently(SilentParameters
                        .builder(settings.silentScopes(), account.get()).forceRefresh(force).build())), null);
            } catch (ExecutionException e) {
                Throwable cause = AuthErrors.unwrap(e);
                if (!needsSignIn(cause)) {
                    throw e;
                }
                LOG.info("The saved sign-in of {} cannot be refreshed silently ({}); signing in again.",
                        account.get().username(), errorCode(cause));
            }
        }
        return deviceCode ? deviceCode() : password();
    }

    /** Refresh failures a new sign-in cannot fix: reported as they are instead of asking for one. */
    private static final Set<String> NOT_FIXED_BY_SIGN_IN = Set.of("50057", "65001", "700016", "7000218", "90002");

    private static boolean needsSignIn(Throwable cause) {
        String aadsts = AuthErrors.aadsts(cause.getMessage());
        if (aadsts != null && NOT_FIXED_BY_SIGN_IN.contains(aadsts)) {
            return false;
        }
        if (cause instanceof MsalInteractionRequiredException) {
            return true;
        }
        if (cause instanceof MsalClientException ce) {
            return "cache_miss".equals(ce.errorCode());
        }
        return cause instanceof MsalServiceException se && "invalid_grant".equals(se.errorCode());
    }

    private static String errorCode(Throwable cause) {
        return cause instanceof com.microsoft.aad.msal4j.MsalException me ? me.errorCode() : cause.getClass().getSimpleName();
    }

    private IssuedToken deviceCode() throws Exception {
        if (!interactive) {
            throw new AuthenticationException(Problem.SIGN_IN_REQUIRED, null, "The device-code sign-in of the"
                    + " connection account is missing or expired (token cache " + settings.tokenCache() + "): run"
                    + " 'dataverse-backup login' once, at a console, to sign in.", null);
        }
        AtomicBoolean shown = new AtomicBoolean();
        CompletableFuture<IAuthenticationResult> future = publicClient.acquireToken(DeviceCodeFlowParameters.builder(
                settings.scopes(), code -> {
                    if (shown.compareAndSet(false, true)) {
                        prompt.show(code.verificationUri(), code.userCode(), Duration.ofSeconds(code.expiresIn()));
                    }
                }).build());
        try {
            // the user takes their time: msal4j polls until the code expires (about 15 minutes)
            IssuedToken token = issued(future.get(), null);
            settings.username().filter(wanted -> !wanted.equalsIgnoreCase(token.account())).ifPresent(wanted ->
                    LOG.warn("Signed in as {}, but auth.username is {}: later runs look for {} in the token cache."
                            + " Sign in as {} or change auth.username.", token.account(), wanted, wanted, wanted));
            return token;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    @SuppressWarnings("deprecation")
    private IssuedToken password() throws Exception {
        String username = settings.username().orElseThrow();
        char[] password = settings.password().toCharArray();
        return issued(await(publicClient.acquireToken(UserNamePasswordParameters.builder(settings.scopes(), username,
                password).build())), null);
    }

    private Optional<IAccount> account() throws Exception {
        Set<IAccount> accounts = await(publicClient.getAccounts());
        Optional<String> wanted = settings.username();
        return accounts.stream()
                .filter(a -> wanted.isEmpty() || wanted.get().equalsIgnoreCase(a.username()))
                .min(Comparator.comparing(a -> String.valueOf(a.username())));
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new java.net.SocketTimeoutException("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private IssuedToken issued(IAuthenticationResult result, String accountLabel) {
        LogMasking.registerToken(result.accessToken());
        String account = accountLabel != null ? accountLabel
                : result.account() != null ? result.account().username() : settings.username().orElse("(user)");
        return new IssuedToken(result.accessToken(), result.expiresOnDate().toInstant(), account);
    }
}
