package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code java -jar target/dataverse-backup.jar emulator --port 0}: prints its URLs and serves them. */
class EmulatorCommandIT {
    @TempDir
    Path dir;

    @Test
    void thePackagedJarRunsTheEmulatorUntilStopped() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar().toString(), "emulator", "--port", "0", "--generate", "5,1,1");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        try {
            List<String> lines = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("Press Ctrl+C")) {
                    break;
                }
            }
            String webApi = value(lines, "Web API");
            String authority = value(lines, "Authority (auth.authority)");
            Path trustStore = Path.of(value(lines, "Trust store (PKCS12)"));
            assertThat(webApi).matches("https://127\\.0\\.0\\.1:\\d+/api/data/v9\\.2/");
            assertThat(Files.exists(trustStore)).isTrue();

            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(trustStore)) {
                store.load(in, "emulator".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();
            String environment = webApi.substring(0, webApi.indexOf("/api/data/"));
            String form = "grant_type=client_credentials&client_id=" + EmulatorIdentities.APP_CLIENT_ID + "&client_secret="
                    + EmulatorIdentities.APP_CLIENT_SECRET + "&scope=" + java.net.URLEncoder.encode(environment + "/.default", StandardCharsets.UTF_8);
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(authority + "/oauth2/v2.0/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(200);
            String accessToken = new ObjectMapper().readTree(token.body()).get("access_token").asText();
            HttpResponse<String> count = http.send(HttpRequest.newBuilder(URI.create(webApi + "accounts/$count"))
                    .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(count.body().trim()).isEqualTo("5");
        } finally {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The packaged jar (failsafe passes its path as the system property dataverse-backup.jar). */
    private static Path jar() {
        Path jar = Path.of(System.getProperty("dataverse-backup.jar", "target/dataverse-backup.jar")).toAbsolutePath();
        assertThat(jar).as("run mvn package first").isRegularFile();
        return jar;
    }

    private static String value(List<String> lines, String label) {
        for (String line : lines) {
            if (line.trim().startsWith(label)) {
                return line.trim().substring(label.length()).trim();
            }
        }
        throw new AssertionError(label + " not printed: " + lines);
    }
}
