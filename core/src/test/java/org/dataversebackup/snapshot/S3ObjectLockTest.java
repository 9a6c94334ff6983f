package org.dataversebackup.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.impl.DefaultCamelContext;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/**
 * S3 Object Lock: the settings, the headers every upload carries on the wire (a plain HTTP server
 * records what the AWS SDK sends, because s3proxy ignores Object Lock). Prune with a lock:
 * PruneObjectLockTest.
 */
class S3ObjectLockTest {
    private static Optional<S3ObjectLock> lock(Map<String, String> values) {
        DefaultCamelContext context = new DefaultCamelContext();
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(values);
        context.getPropertiesComponent().setInitialProperties(properties);
        return S3ObjectLock.from(Settings.of(context));
    }

    @Test
    void bothKeysOrNeither() {
        assertThat(lock(Map.of())).isEmpty();
        assertThat(lock(Map.of("s3.object-lock-mode", "compliance", "s3.object-lock-days", "30")))
                .contains(new S3ObjectLock(ObjectLockMode.COMPLIANCE, Duration.ofDays(30)));
        assertThatThrownBy(() -> lock(Map.of("s3.object-lock-mode", "GOVERNANCE"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("s3.object-lock-days");
        assertThatThrownBy(() -> lock(Map.of("s3.object-lock-mode", "forever", "s3.object-lock-days", "3")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("GOVERNANCE or COMPLIANCE");
        assertThatThrownBy(() -> lock(Map.of("s3.object-lock-mode", "GOVERNANCE", "s3.object-lock-days", "0")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("at least 1");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "flexible checksums {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void everyUploadCarriesTheLockAndAChecksum(boolean flexibleChecksums) throws Exception {
        List<Headers> received = new CopyOnWriteArrayList<>();
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestHeaders());
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = exchange.getRequestURI().getQuery() != null && exchange.getRequestURI().getQuery().startsWith("uploads")
                    ? "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>"
                            .getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().add("ETag", "\"0\"");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try (S3Client s3 = S3ClientFactory.create("us-east-1", Optional.of("http://127.0.0.1:" + server.getAddress().getPort()),
                true, Optional.of("a"), Optional.of("b"), flexibleChecksums,
                Optional.of(new S3ObjectLock(ObjectLockMode.GOVERNANCE, Duration.ofDays(30))))) {
            Instant before = Instant.now();
            s3.putObject(b -> b.bucket("backups").key("contoso/x/manifest.json"), RequestBody.fromString("{}"));
            s3.createMultipartUpload(b -> b.bucket("backups").key("contoso/x/data/account/part-00001.ndjson.gz"));
            s3.uploadPart(b -> b.bucket("backups").key("contoso/x/data/account/part-00001.ndjson.gz").uploadId("u1").partNumber(1),
                    RequestBody.fromString("part"));
            s3.getObject(b -> b.bucket("backups").key("contoso/x/manifest.json")).close();
            Instant after = Instant.now();

            assertThat(requests).hasSize(4);
            for (Headers upload : received.subList(0, 2)) {
                assertThat(upload.getFirst("x-amz-object-lock-mode")).isEqualTo("GOVERNANCE");
                Instant until = Instant.parse(upload.getFirst("x-amz-object-lock-retain-until-date"));
                assertThat(until).isBetween(before.plus(Duration.ofDays(30)).minusSeconds(1), after.plus(Duration.ofDays(30)).plusSeconds(1));
            }
            // PutObject and UploadPart: a checksum S3 accepts for a locked object (a CRC in a header or trailer)
            for (Headers upload : List.of(received.get(0), received.get(2))) {
                assertThat(upload.keySet().stream().map(String::toLowerCase)).as(upload.keySet().toString())
                        .anyMatch(name -> name.startsWith("x-amz-checksum-") || name.equals("x-amz-trailer")
                                || name.equals("x-amz-sdk-checksum-algorithm"));
            }
            assertThat(received.get(3).getFirst("x-amz-object-lock-mode")).as("a read is not an upload").isNull();
        } finally {
            server.stop(0);
        }
    }
}
