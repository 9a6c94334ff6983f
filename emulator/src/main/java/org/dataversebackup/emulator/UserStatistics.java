package org.dataversebackup.emulator;

/**
 * What the emulator's service protection saw of one user (Dataverse counts its limits per user),
 * for tests that spread work over several application users.
 *
 * @param maxConcurrentRequests the most requests of this user under way at once
 * @param requests              requests let through (counted against the limits)
 * @param throttled             requests answered 429 by the service protection limits (injected faults not counted)
 */
public record UserStatistics(int maxConcurrentRequests, long requests, long throttled) {
}
