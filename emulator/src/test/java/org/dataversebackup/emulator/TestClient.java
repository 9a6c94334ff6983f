package org.dataversebackup.emulator;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real HTTP against an emulator, trusting it through the trust store file it wrote (so the tests
 * also prove the file works).
 */
final class TestClient {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    /** Percent-encodes a query option value (spaces as %20). */
    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
    final DataverseEmulator emulator;
    final HttpClient http;

    TestClient(DataverseEmulator emulator) {
        this.emulator = emulator;
        this.http = HttpClient.newBuilder().sslContext(sslContext(emulator)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static SSLContext sslContext(DataverseEmulator emulator) {
        try (InputStream in = Files.newInputStream(emulator.trustStore())) {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(in, emulator.trustStorePassword().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    static Map<String, String> form(String... nameValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            form.put(nameValues[i], nameValues[i + 1]);
        }
        return form;
    }

    Response postForm(String url, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** POST to the token endpoint of the emulator's tenant. */
    Response token(Map<String, String> form) {
        return postForm(emulator.authority() + "/oauth2/v2.0/token", form);
    }

    String appToken() {
        Response r = token(form("grant_type", "client_credentials", "client_id", EmulatorIdentities.APP_CLIENT_ID,
                "client_secret", EmulatorIdentities.APP_CLIENT_SECRET, "scope", emulator.environmentUrl() + "/.default"));
        if (r.status() != 200) {
            throw new AssertionError("token: " + r.body());
        }
        return r.json().get("access_token").asText();
    }

    String userToken(String upn) {
        Response r = token(form("grant_type", "password", "client_id", EmulatorIdentities.APP_CLIENT_ID,
                "username", upn, "password", EmulatorIdentities.USER_PASSWORD,
                "scope", emulator.environmentUrl() + "/user_impersonation openid profile offline_access"));
        if (r.status() != 200) {
            throw new AssertionError("token: " + r.body());
        }
        return r.json().get("access_token").asText();
    }

    Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    /** GET relative to the Web API root with the standard headers and a bearer token. */
    Response api(String token, String relative, String... headers) {
        return apiRequest("GET", token, relative, null, headers);
    }

    Response apiRequest(String method, String token, String relative, String body, String... headers) {
        String url = relative.startsWith("https://") ? relative : emulator.webApiUrl() + relative;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (body != null) {
            if (java.util.Arrays.stream(headers).noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(b.build());
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
        }
    }

    static JsonNode jwtPayload(String jwt) {
        try {
            return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
