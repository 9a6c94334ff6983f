package org.dataversebackup.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import org.dataversebackup.config.ConfigurationException;

/**
 * The Entra ID authority ({@code auth.authority}): {@code https://host[:port]/<tenant>}. Knows the
 * Microsoft clouds (public, US Government, China, ...), for which msal4j's instance discovery stays
 * on; any other host (a proxy, the emulator) is a custom authority: discovery off, so nothing leaves
 * the configured host, and on a port other than 443 msal4j is given instance metadata that keeps
 * the port (its token cache and refresh-token calls otherwise lose it).
 */
public final class Authority {
    /** The public cloud's authority without the tenant. */
    public static final String PUBLIC_CLOUD = "https://login.microsoftonline.com/";

    /** Authority hosts of the Microsoft clouds (msal4j's own list of trusted hosts). */
    static final Set<String> MICROSOFT_HOSTS = Set.of(
            "login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net",
            "login.microsoftonline.us", "login-us.microsoftonline.com", "login.usgovcloudapi.net",
            "login.partner.microsoftonline.cn", "login.chinacloudapi.cn", "login.microsoftonline.de",
            "login.sovcloud-identity.fr", "login.sovcloud-identity.de", "login.sovcloud-identity.sg");

    private final String host;
    private final int port;
    private final String tenant;

    private Authority(String host, int port, String tenant) {
        this.host = host;
        this.port = port;
        this.tenant = tenant;
    }

    static Authority parse(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw noTenant();
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid(value, "it is not a URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw invalid(value, "it must be an https:// URL (Entra ID and msal4j accept nothing else)");
        }
        if (uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
            throw invalid(value, "it must not have a query, fragment or user info");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String[] segments = path.replaceAll("^/+|/+$", "").split("/");
        if (segments.length == 0 || segments[0].isBlank()) {
            throw noTenant();
        }
        if (segments.length > 1 && !(segments.length == 2 && segments[1].equalsIgnoreCase("v2.0"))) {
            throw invalid(value, "give the host and the tenant only, e.g. https://login.microsoftonline.com/<tenant-id>");
        }
        int port = uri.getPort() == 443 ? -1 : uri.getPort();
        return new Authority(uri.getHost().toLowerCase(Locale.ROOT), port, segments[0]);
    }

    private static ConfigurationException noTenant() {
        return new ConfigurationException("Setting '" + AuthSettings.TENANT_ID + "' is required (the Entra ID tenant id"
                + " or its domain, e.g. contoso.onmicrosoft.com), or set '" + AuthSettings.AUTHORITY
                + "' in full, e.g. https://login.microsoftonline.com/<tenant-id>.");
    }

    private static ConfigurationException invalid(String value, String why) {
        return new ConfigurationException("Setting '" + AuthSettings.AUTHORITY + "' is not a valid authority ('" + value
                + "'): " + why + ".");
    }

    public String host() {
        return host;
    }

    /** The explicit port, or -1 for the default (443). */
    public int port() {
        return port;
    }

    public String tenant() {
        return tenant;
    }

    /** {@code host} or {@code host:port}. */
    public String hostAndPort() {
        return port == -1 ? host : host + ":" + port;
    }

    /** The authority URL as msal4j takes it, {@code https://host[:port]/<tenant>/}. */
    public String url() {
        return "https://" + hostAndPort() + "/" + tenant + "/";
    }

    /** True for the Microsoft clouds' hosts (public, US Government, China, ...). */
    public boolean microsoftCloud() {
        return MICROSOFT_HOSTS.contains(host) && port == -1;
    }

    /** True when msal4j's instance discovery must be off: any host but the Microsoft clouds'. */
    boolean custom() {
        return !microsoftCloud();
    }

    /**
     * The instance metadata to give msal4j for a custom authority on a non-default port, or null.
     * msal4j keys its instance metadata by host without the port; with this entry the token cache
     * is keyed by {@code host:port} and refresh-token requests keep the port.
     */
    String instanceDiscoveryResponse() {
        if (!custom() || port == -1) {
            return null;
        }
        String withPort = host + ":" + port;
        return "{\"tenant_discovery_endpoint\":\"https://" + withPort + "/" + tenant
                + "/v2.0/.well-known/openid-configuration\",\"api-version\":\"1.1\",\"metadata\":[{"
                + "\"preferred_network\":\"" + host + "\",\"preferred_cache\":\"" + withPort + "\","
                + "\"aliases\":[\"" + host + "\",\"" + withPort + "\"]}]}";
    }

    /** Where a Global Administrator grants admin consent for the application, once per tenant. */
    public String adminConsentUrl(String clientId) {
        return "https://" + hostAndPort() + "/" + tenant + "/adminconsent?client_id="
                + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "https://" + hostAndPort() + "/" + tenant;
    }
}
