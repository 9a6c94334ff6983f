package org.dataversebackup.auth;

import java.util.Optional;

/** Where {@link DataverseTokenProvider} gets its tokens: msal4j ({@link MsalTokenClient}), or a fake in tests. */
interface TokenSource {

    /**
     * A token for the Dataverse environment.
     *
     * @param force true to bypass any cache (the current token was rejected)
     */
    IssuedToken acquire(boolean force);

    /** An interactive sign-in even if a saved one exists (device code); by default a plain request. */
    default IssuedToken signInInteractively() {
        return acquire(false);
    }

    /** The persisted token cache, if the mode has one. */
    default Optional<TokenCacheFile> cacheFile() {
        return Optional.empty();
    }
}
