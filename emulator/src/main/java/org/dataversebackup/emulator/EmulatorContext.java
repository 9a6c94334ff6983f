package org.dataversebackup.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** What the handlers of one running emulator share: configuration, state and services. */
final class EmulatorContext {
    final EmulatorState state;
    final Tokens tokens;
    final Clock clock;
    final String tenantId;
    /** https://127.0.0.1:port */
    final String baseUrl;
    /** Accepted token audiences / resources, lower case without trailing slash. */
    final Set<String> audiences;
    final Faults faults;
    final ServiceProtection protection;
    volatile int dopHint;
    volatile Duration changeTrackingRetention;

    EmulatorContext(EmulatorState state, Tokens tokens, Clock clock, String tenantId, String baseUrl,
            Set<String> audiences, Faults faults, ServiceProtection protection, int dopHint,
            Duration changeTrackingRetention) {
        this.state = state;
        this.tokens = tokens;
        this.clock = clock;
        this.tenantId = tenantId;
        this.baseUrl = baseUrl;
        this.audiences = audiences;
        this.faults = faults;
        this.protection = protection;
        this.dopHint = dopHint;
        this.changeTrackingRetention = changeTrackingRetention;
    }

    /** The service root for a version segment, e.g. https://127.0.0.1:1234/api/data/v9.2/ */
    String serviceRoot(String version) {
        return baseUrl + "/api/data/" + version + "/";
    }
}
