package org.dataversebackup.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.Urls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The privileges the account holds, by name (compared case-insensitively), with the widest depth it
 * holds each at: through its own security roles and the roles of its teams.
 *
 * <p>Asked with {@code RetrieveUserSetOfPrivilegesByNames} (bound to the systemuser; parameter
 * {@code PrivilegeNames}, a collection of strings passed as a JSON array in a parameter alias),
 * which Microsoft documents as including team privileges at their real depth; names go in groups so
 * that the URL stays short. An environment without that function (404, 501, or a 400 naming it) is
 * asked {@code RetrieveUserPrivileges} instead, which returns every privilege but, as Microsoft
 * documents, privileges held through teams at Basic depth only.
 */
final class HeldPrivileges {
    private static final Logger LOG = LoggerFactory.getLogger(HeldPrivileges.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int NAMES_PER_REQUEST = 40;

    private final Map<String, Depth> depths;
    private final boolean teamDepthsExact;

    private HeldPrivileges(Map<String, Depth> depths, boolean teamDepthsExact) {
        this.depths = depths;
        this.teamDepthsExact = teamDepthsExact;
    }

    static HeldPrivileges retrieve(DataverseClient client, String userId, Collection<String> names) {
        Map<String, String> spelled = new java.util.LinkedHashMap<>();
        names.forEach(n -> spelled.putIfAbsent(key(n), n));
        List<String> unique = new ArrayList<>(spelled.values());
        Map<String, Depth> depths = new HashMap<>();
        String user = "systemusers(" + userId + ")/Microsoft.Dynamics.CRM.";
        for (int from = 0; from < unique.size(); from += NAMES_PER_REQUEST) {
            List<String> group = unique.subList(from, Math.min(unique.size(), from + NAMES_PER_REQUEST));
            JsonNode answer;
            try {
                answer = client.getJson(user + "RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p)?@p="
                        + Urls.encode(JSON.writeValueAsString(group)));
            } catch (DataverseException e) {
                if (!functionMissing(e)) {
                    throw e;
                }
                LOG.debug("RetrieveUserSetOfPrivilegesByNames is not available ({}); using RetrieveUserPrivileges",
                        e.getMessage());
                return parse(client.getJson(user + "RetrieveUserPrivileges"), false);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            depths.putAll(parse(answer, true).depths);
        }
        return new HeldPrivileges(depths, true);
    }

    /** The response's {@code RolePrivileges}: several entries per name (roles, business units) keep the widest depth. */
    static HeldPrivileges parse(JsonNode answer, boolean teamDepthsExact) {
        Map<String, Depth> depths = new HashMap<>();
        for (JsonNode privilege : answer.path("RolePrivileges")) {
            String name = privilege.path("PrivilegeName").asText("");
            if (!name.isEmpty()) {
                depths.merge(key(name), Depth.parse(privilege.path("Depth")), Depth::widest);
            }
        }
        return new HeldPrivileges(depths, teamDepthsExact);
    }

    /** The widest depth at which any of the names is held, or empty when none is. */
    Optional<Depth> depth(List<String> candidates) {
        Depth widest = null;
        for (String name : candidates) {
            Depth depth = depths.get(key(name));
            if (depth != null) {
                widest = depth.widest(widest);
            }
        }
        return Optional.ofNullable(widest);
    }

    /** False when the privileges came from RetrieveUserPrivileges: those held through teams show Basic depth. */
    boolean teamDepthsExact() {
        return teamDepthsExact;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static boolean functionMissing(DataverseException e) {
        if (e.status() == 404 || e.status() == 501) {
            return true;
        }
        return e.status() == 400 && e.dataverseMessage().contains("RetrieveUserSetOfPrivilegesByNames");
    }
}
