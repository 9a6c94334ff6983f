package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * File and image columns moved through the emulator's Web API: chunked downloads that add up to
 * the file with its SHA-256, single-request and block uploads read back byte for byte, an empty
 * column, and the full image rather than the thumbnail.
 */
class FileColumnTransferTest {
    private static DataverseEmulator emulator;
    private static DataverseClient client;

    @BeforeAll
    static void start() throws Exception {
        emulator = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(10, 1, 0)).start();
        String token = appToken();
        AccessTokens tokens = new AccessTokens() {
            @Override
            public String current() {
                return token;
            }

            @Override
            public String renewAfterRejection(String rejected) {
                return token;
            }
        };
        client = new DataverseClient(URI.create(emulator.environmentUrl()), "9.2", tokens,
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
                Duration.ofSeconds(30), true, emulator.clientSslContext());
    }

    private static String appToken() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + EmulatorIdentities.APP_CLIENT_ID + "&client_secret="
                + URLEncoder.encode(EmulatorIdentities.APP_CLIENT_SECRET, StandardCharsets.UTF_8) + "&scope="
                + URLEncoder.encode(emulator.environmentUrl() + "/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(emulator.clientSslContext()).build().send(
                HttpRequest.newBuilder(URI.create(emulator.authority() + "/oauth2/v2.0/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body()).get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static UUID newAccount(String name) {
        DataverseResponse r = client.send("POST", "accounts", Map.of("Content-Type", "application/json"),
                ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8), false);
        String location = r.header("OData-EntityId").orElseThrow();
        return UUID.fromString(location.substring(location.indexOf('(') + 1, location.indexOf(')')));
    }

    private static UUID firstRow(String set, String key, String filter) {
        return UUID.fromString(client.getJson(set + "?$select=" + key + "&$filter=" + filter).get("value").get(0).get(key).asText());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void downloadsAGeneratedFileInChunksWithItsNameAndHash() throws Exception {
        UUID account = firstRow("accounts", "accountid", "accountnumber%20eq%20'ACC-0000001'");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        Optional<FileColumnTransfer.Downloaded> one = new FileColumnTransfer(client).download("accounts", account,
                "dvb_contract", false, whole);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        Optional<FileColumnTransfer.Downloaded> many = new FileColumnTransfer(client, 100).download("accounts", account,
                "dvb_contract", false, chunked);

        assertThat(one).isPresent();
        assertThat(one.get().fileName()).isEqualTo("contract-0000001.pdf");
        assertThat(one.get().size()).isEqualTo(whole.size()).isGreaterThanOrEqualTo(1024);
        assertThat(one.get().sha256()).isEqualTo(sha256(whole.toByteArray()));
        assertThat(chunked.toByteArray()).isEqualTo(whole.toByteArray());
        assertThat(many).isEqualTo(one);
    }

    @Test
    void aRowWithoutAFileGivesNothing() {
        UUID account = firstRow("accounts", "accountid", "accountnumber%20eq%20'ACC-0000002'");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(new FileColumnTransfer(client).download("accounts", account, "dvb_contract", false, out)).isEmpty();
        assertThat(out.size()).isZero();
    }

    @Test
    void uploadsSmallFilesInOneRequestAndLargeOnesInBlocks() throws Exception {
        for (int size : new int[] {1024, 9 * 1024 * 1024 + 7}) {
            UUID account = newAccount("Upload " + size);
            byte[] data = randomBytes(size, size);
            FileColumnTransfer transfer = new FileColumnTransfer(client);
            transfer.upload("accounts", "account", "accountid", account, "dvb_contract", "file-" + size + ".bin",
                    "application/octet-stream", size, new ByteArrayInputStream(data));

            ByteArrayOutputStream back = new ByteArrayOutputStream();
            FileColumnTransfer.Downloaded downloaded = transfer.download("accounts", account, "dvb_contract", false, back)
                    .orElseThrow();
            assertThat(back.toByteArray()).isEqualTo(data);
            assertThat(downloaded.fileName()).isEqualTo("file-" + size + ".bin");
            assertThat(downloaded.sha256()).isEqualTo(sha256(data));
        }
    }

    @Test
    void imagesComeBackFullSizeWhenAskedFor() throws Exception {
        UUID contact = newContactWithImage();
        byte[] image = randomBytes(5000, 5);
        ByteArrayOutputStream full = new ByteArrayOutputStream();
        new FileColumnTransfer(client).upload("contacts", "contact", "contactid", contact, "entityimage", "face.png",
                "image/png", image.length, new ByteArrayInputStream(image));
        new FileColumnTransfer(client).download("contacts", contact, "entityimage", true, full);
        ByteArrayOutputStream thumbnail = new ByteArrayOutputStream();
        new FileColumnTransfer(client).download("contacts", contact, "entityimage", false, thumbnail);

        assertThat(full.toByteArray()).isEqualTo(image);
        assertThat(thumbnail.size()).isLessThan(image.length);
    }

    private static UUID newContactWithImage() {
        DataverseResponse r = client.send("POST", "contacts", Map.of("Content-Type", "application/json"),
                "{\"lastname\":\"Imaged\"}".getBytes(StandardCharsets.UTF_8), false);
        String location = r.header("OData-EntityId").orElseThrow();
        return UUID.fromString(location.substring(location.indexOf('(') + 1, location.indexOf(')')));
    }
}
