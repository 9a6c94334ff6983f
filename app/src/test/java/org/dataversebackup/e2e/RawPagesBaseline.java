package org.dataversebackup.e2e;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.dataversebackup.dataverse.JvmTrustStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The benchmark's baseline: a plain loop that reads a table's pages (same URL, same Prefer and
 * Accept-Encoding headers as the backup) and streams each page body into one gzip file. No Camel, no parsing beyond the
 * next link. Run in its own JVM: {@code RawPagesBaseline <environment url> <authority> <client id>
 * <secret> <entity set> <page size> <annotations> <output file>}; prints one result line.
 */
public final class RawPagesBaseline {
    private RawPagesBaseline() {
    }

    public static void main(String[] args) throws Exception {
        String environment = args[0];
        String authority = args[1];
        String prefer = "odata.maxpagesize=" + args[5] + ",odata.include-annotations=\"" + args[6] + "\"";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(JvmTrustStore.sslContext()).build();
        ObjectMapper json = new ObjectMapper();
        String form = "grant_type=client_credentials&client_id=" + args[2] + "&client_secret="
                + URLEncoder.encode(args[3], StandardCharsets.UTF_8) + "&scope="
                + URLEncoder.encode(environment + "/.default", StandardCharsets.UTF_8);
        String token = json.readTree(http.send(HttpRequest.newBuilder(URI.create(authority + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray()).body())
                .get("access_token").asText();

        org.dataversebackup.app.PeakHeap.watch();
        long start = System.nanoTime();
        long records = 0;
        long bytes = 0;
        String next = environment + "/api/data/v9.2/" + args[4];
        Path out = Path.of(args[7]);
        try (OutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16), 1 << 16)) {
            while (next != null) {
                HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(next))
                        .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                        .header("OData-MaxVersion", "4.0").header("OData-Version", "4.0").header("Prefer", prefer)
                        .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (page.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + page.statusCode() + ": " + new String(page.body(), StandardCharsets.UTF_8));
                }
                byte[] pageBody = page.headers().firstValue("Content-Encoding").orElse("").equals("gzip")
                        ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(page.body())).readAllBytes()
                        : page.body();
                gzip.write(pageBody);
                bytes += pageBody.length;
                JsonNode body = json.readTree(pageBody);
                records += body.path("value").size();
                next = body.hasNonNull("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RESULT records=%d jsonBytes=%d seconds=%.3f outputBytes=%d peakHeapBytes=%d%n", records, bytes,
                seconds, Files.size(out), org.dataversebackup.app.PeakHeap.afterGcBytes());
    }
}
