package org.dataversebackup.dataverse;

/**
 * The source of the bearer token for every Dataverse call (implemented by the msal4j token
 * provider in {@code org.dataversebackup.auth}). Implementations are thread-safe: many table
 * reads ask at once and cause one token request.
 */
public interface AccessTokens {

    /** A valid access token for the Dataverse environment, renewed before it expires. */
    String current();

    /**
     * Called when Dataverse answered 401 to a request sent with {@code rejected}. Renews the token
     * once, unless another caller already did (then the newer token is returned), so that the
     * caller can replay the request once.
     */
    String renewAfterRejection(String rejected);
}
