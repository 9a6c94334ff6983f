package org.dataversebackup.dataverse;

import java.util.Optional;

/**
 * What {@code WhoAmI} tells about the environment and the connection account, and the degree of
 * parallelism Dataverse recommends ({@code x-ms-dop-hint}).
 */
public record EnvironmentInfo(String userId, String businessUnitId, String organizationId, Optional<Integer> dopHint) {

    /**
     * Asks WhoAmI: the first request to the environment.
     *
     * @throws org.dataversebackup.config.ConfigurationException when dataverse.url is unreachable or not the Web API
     */
    public static EnvironmentInfo whoAmI(DataverseClient client) {
        DataverseResponse response = client.firstContact("WhoAmI");
        var json = response.json();
        Optional<Integer> dop = response.header("x-ms-dop-hint").flatMap(v -> {
            try {
                return Optional.of(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        return new EnvironmentInfo(json.path("UserId").asText(), json.path("BusinessUnitId").asText(),
                json.path("OrganizationId").asText(), dop);
    }

    /** The recommended parallelism, capped, or the fallback when Dataverse sent no hint. */
    public int parallelism(int cap, int fallback) {
        return Math.max(1, Math.min(cap, dopHint.orElse(fallback)));
    }

    /**
     * As {@link #parallelism(int, int)}, for each of {@code accounts} connection accounts: Dataverse's
     * limits, and so its hint, are per user, and each account has its own.
     */
    public int parallelism(int cap, int fallback, int accounts) {
        return parallelism(cap, fallback) * Math.max(1, accounts);
    }
}
