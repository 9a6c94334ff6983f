package org.dataversebackup.dataverse;

/**
 * One connection account of an environment: its name ({@code main}, or a name of
 * {@code auth.connections}), the tokens issued to it, and its service protection gate (Dataverse
 * counts its limits per user).
 */
public record Connection(String name, AccessTokens tokens, ServiceProtectionGate gate) {
}
