package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * File and image columns over HTTP as Microsoft documents them: generated files, whole and Range
 * downloads (Range required above 16 MB), single-request upload with x-ms-file-name, the block
 * upload actions, image thumbnails against {@code ?size=full}, and the errors for bad requests.
 */
class FileColumnsTest {
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().tokenLifetime(Duration.ofDays(1)).generate(DataSetSpec.sized(20, 2, 0)).start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static HttpResponse<byte[]> binary(String method, String relative, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.webApiUrl() + relative)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("OData-MaxVersion", "4.0").header("OData-Version", "4.0");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return client.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + relative + ": " + e, e);
        }
    }

    private static String accountId(String number) {
        return client.api(token, "accounts?$select=accountid&$filter=accountnumber%20eq%20'" + number + "'")
                .json().get("value").get(0).get("accountid").asText();
    }

    private static String newAccount(String name) {
        TestClient.Response r = client.apiRequest("POST", token, "accounts", "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).isEqualTo(204);
        String location = r.header("OData-EntityId");
        return location.substring(location.indexOf('(') + 1, location.indexOf(')'));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] downloadInChunks(String relative, int chunk) {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        long size = Long.MAX_VALUE;
        while (whole.size() < size) {
            HttpResponse<byte[]> part = binary("GET", relative, null,
                    "Range", "bytes=" + whole.size() + "-" + (whole.size() + chunk - 1));
            assertThat(part.statusCode()).isEqualTo(206);
            size = Long.parseLong(part.headers().firstValue("x-ms-file-size").orElseThrow());
            assertThat(part.headers().firstValue("Content-Range").orElseThrow())
                    .isEqualTo("bytes " + whole.size() + "-" + (whole.size() + part.body().length - 1) + "/" + size);
            whole.writeBytes(part.body());
        }
        return whole.toByteArray();
    }

    @Test
    void generatedDataHasAFileColumnAndAnImageColumn() {
        HttpResponse<byte[]> file = binary("GET", "accounts(" + accountId("ACC-0000001") + ")/dvb_contract/$value", null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("x-ms-file-name")).contains("contract-0000001.pdf");
        assertThat(file.headers().firstValue("x-ms-file-size")).contains(Integer.toString(file.body().length));
        assertThat(new String(file.body(), 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        // only every tenth account has a contract
        assertThat(binary("GET", "accounts(" + accountId("ACC-0000002") + ")/dvb_contract/$value", null).statusCode())
                .isEqualTo(404);

        // the first contact (index 0: its email ends with the letters and then 0) has a picture
        String contact = null;
        for (JsonNode row : client.api(token, "contacts?$select=contactid,emailaddress1&$top=100").json().get("value")) {
            if (row.get("emailaddress1").asText().matches("[a-z.]+0@mail\\.example")) {
                contact = row.get("contactid").asText();
            }
        }
        assertThat(contact).isNotNull();
        HttpResponse<byte[]> full = binary("GET", "contacts(" + contact + ")/entityimage/$value?size=full", null);
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.headers().firstValue("x-ms-file-name").orElseThrow()).endsWith(".png");
        HttpResponse<byte[]> thumbnail = binary("GET", "contacts(" + contact + ")/entityimage/$value", null);
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.body().length).isLessThan(full.body().length);
        assertThat(full.body()).startsWith(thumbnail.body());
    }

    @Test
    void singleRequestUploadThenRangeDownloadsAddUpToTheFile() {
        String id = newAccount("Upload single");
        byte[] data = randomBytes(300_000, 1);
        HttpResponse<byte[]> put = binary("PATCH", "accounts(" + id + ")/dvb_contract", data,
                "Content-Type", "application/octet-stream", "x-ms-file-name", "offer.txt");
        assertThat(put.statusCode()).isEqualTo(204);

        HttpResponse<byte[]> whole = binary("GET", "accounts(" + id + ")/dvb_contract/$value", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(data);
        assertThat(whole.headers().firstValue("x-ms-file-name")).contains("offer.txt");
        assertThat(downloadInChunks("accounts(" + id + ")/dvb_contract/$value", 65_536)).isEqualTo(data);

        HttpResponse<byte[]> beyond = binary("GET", "accounts(" + id + ")/dvb_contract/$value", null, "Range", "bytes=300000-300010");
        assertThat(beyond.statusCode()).isEqualTo(416);

        assertThat(binary("DELETE", "accounts(" + id + ")/dvb_contract", null).statusCode()).isEqualTo(204);
        assertThat(binary("GET", "accounts(" + id + ")/dvb_contract/$value", null).statusCode()).isEqualTo(404);
    }

    @Test
    void blockUploadOfAFileAbove16MegabytesIsDownloadedInChunksOnly() throws Exception {
        String id = newAccount("Upload blocks");
        byte[] data = randomBytes(17 * 1024 * 1024 + 123, 2);
        TestClient.Response init = client.apiRequest("POST", token, "InitializeFileBlocksUpload",
                "{\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"" + id + "\"},"
                        + "\"FileAttributeName\":\"dvb_contract\",\"FileName\":\"big.bin\"}");
        assertThat(init.status()).isEqualTo(200);
        assertThat(init.json().get("@odata.context").asText()).endsWith("$metadata#Microsoft.Dynamics.CRM.InitializeFileBlocksUploadResponse");
        String continuation = init.json().get("FileContinuationToken").asText();
        StringBuilder blockList = new StringBuilder();
        int block = 4 * 1024 * 1024;
        for (int offset = 0, n = 0; offset < data.length; offset += block, n++) {
            String blockId = Base64.getEncoder().encodeToString(String.format("%06d", n).getBytes(StandardCharsets.US_ASCII));
            String blockData = Base64.getEncoder().encodeToString(Arrays.copyOfRange(data, offset, Math.min(data.length, offset + block)));
            TestClient.Response up = client.apiRequest("POST", token, "UploadBlock", "{\"BlockId\":\"" + blockId
                    + "\",\"BlockData\":\"" + blockData + "\",\"FileContinuationToken\":\"" + continuation + "\"}");
            assertThat(up.status()).as(up.body()).isEqualTo(204);
            blockList.append(blockList.length() == 0 ? "" : ",").append('"').append(blockId).append('"');
        }
        TestClient.Response commit = client.apiRequest("POST", token, "CommitFileBlocksUpload", "{\"FileName\":\"big.bin\","
                + "\"MimeType\":\"application/octet-stream\",\"BlockList\":[" + blockList + "],\"FileContinuationToken\":\"" + continuation + "\"}");
        assertThat(commit.status()).as(commit.body()).isEqualTo(200);
        JsonNode committed = commit.json();
        assertThat(committed.get("FileSizeInBytes").asLong()).isEqualTo(data.length);
        assertThat(committed.get("FileId").asText()).hasSize(36);

        assertThat(binary("GET", "accounts(" + id + ")/dvb_contract/$value", null).statusCode()).isEqualTo(400);
        assertThat(downloadInChunks("accounts(" + id + ")/dvb_contract/$value", 4 * 1024 * 1024)).isEqualTo(data);
        // the token is spent once committed
        assertThat(client.apiRequest("POST", token, "CommitFileBlocksUpload", "{\"FileName\":\"big.bin\",\"BlockList\":["
                + blockList + "],\"FileContinuationToken\":\"" + continuation + "\"}").status()).isEqualTo(400);
    }

    @Test
    void badUploadsAreRefusedWithTheReason() {
        String id = newAccount("Bad uploads");
        HttpResponse<byte[]> noName = binary("PATCH", "accounts(" + id + ")/dvb_contract", new byte[10], "Content-Type", "application/octet-stream");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(new String(noName.body(), StandardCharsets.UTF_8)).contains("x-ms-file-name");

        String missing = "00000000-0000-0000-0000-0000000000aa";
        assertThat(binary("PATCH", "accounts(" + missing + ")/dvb_contract", new byte[10], "x-ms-file-name", "a.txt").statusCode())
                .isEqualTo(404);

        TestClient.Response notAFileColumn = client.apiRequest("POST", token, "InitializeFileBlocksUpload",
                "{\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"" + id + "\"},"
                        + "\"FileAttributeName\":\"name\",\"FileName\":\"x.bin\"}");
        assertThat(notAFileColumn.status()).isEqualTo(400);
        assertThat(notAFileColumn.body()).contains("'name' is not a file or image column of account");

        String continuation = client.apiRequest("POST", token, "InitializeFileBlocksUpload",
                "{\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"" + id + "\"},"
                        + "\"FileAttributeName\":\"dvb_contract\",\"FileName\":\"x.bin\"}").json().get("FileContinuationToken").asText();
        TestClient.Response tooBig = client.apiRequest("POST", token, "UploadBlock", "{\"BlockId\":\"QQ==\",\"BlockData\":\""
                + Base64.getEncoder().encodeToString(new byte[4 * 1024 * 1024 + 1]) + "\",\"FileContinuationToken\":\"" + continuation + "\"}");
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.body()).contains("at most 4 MB");
    }
}
