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

    @Test
    void fileAndImageColumnsAreDeclaredInTheMetadataAsDataverseDeclaresThem() {
        JsonNode files = client.api(token, "EntityDefinitions(LogicalName='account')/Attributes/"
                + "Microsoft.Dynamics.CRM.FileAttributeMetadata").json().get("value");
        assertThat(files).hasSize(1);
        JsonNode contract = files.get(0);
        assertThat(contract.get("LogicalName").asText()).isEqualTo("dvb_contract");
        assertThat(contract.get("AttributeType").asText()).isEqualTo("Virtual");
        assertThat(contract.get("AttributeTypeName").get("Value").asText()).isEqualTo("FileType");
        assertThat(contract.get("MaxSizeInKB").asInt()).isEqualTo(1024 * 1024);

        JsonNode images = client.api(token, "EntityDefinitions(LogicalName='contact')/Attributes/"
                + "Microsoft.Dynamics.CRM.ImageAttributeMetadata").json().get("value");
        assertThat(images).hasSize(1);
        JsonNode image = images.get(0);
        assertThat(image.get("LogicalName").asText()).isEqualTo("entityimage");
        assertThat(image.get("AttributeTypeName").get("Value").asText()).isEqualTo("ImageType");
        assertThat(image.get("CanStoreFullImage").asBoolean()).isTrue();
        assertThat(image.get("IsPrimaryImage").asBoolean()).isTrue();
        assertThat(client.api(token, "EntityDefinitions(LogicalName='contact')?$select=PrimaryImageAttribute").json()
                .get("PrimaryImageAttribute").asText()).isEqualTo("entityimage");
        JsonNode logo = client.api(token, "EntityDefinitions(LogicalName='account')/Attributes/"
                + "Microsoft.Dynamics.CRM.ImageAttributeMetadata").json().get("value").get(0);
        assertThat(logo.get("LogicalName").asText()).isEqualTo("dvb_logo");
        assertThat(logo.get("CanStoreFullImage").asBoolean()).isFalse();

        // the supporting columns: the file name, the image's id, time stamp and URL, read-only, AttributeOf their column
        JsonNode name = client.api(token, "EntityDefinitions(LogicalName='account')/Attributes(LogicalName='dvb_contract_name')")
                .json();
        assertThat(name.get("AttributeOf").asText()).isEqualTo("dvb_contract");
        assertThat(name.get("IsValidForCreate").asBoolean()).isFalse();
        String csdl = new String(binary("GET", "$metadata", null).body(), StandardCharsets.UTF_8);
        assertThat(csdl).contains("<Property Name=\"dvb_contract\" Type=\"Edm.Guid\"")
                .contains("<Property Name=\"dvb_contract_name\" Type=\"Edm.String\"")
                .contains("<Property Name=\"entityimage\" Type=\"Edm.Binary\"")
                .contains("<Property Name=\"entityimage_url\" Type=\"Edm.String\"");
    }

    @Test
    void rowsShowTheFileIdAndNameAndTheImageThumbnailWithItsCompanions() {
        String id = newAccount("Row values");
        String select = "accounts(" + id + ")?$select=dvb_contract,dvb_contract_name";
        assertThat(client.api(token, select).json().get("dvb_contract").isNull()).isTrue();
        TestClient.Response init = client.apiRequest("POST", token, "InitializeFileBlocksUpload",
                "{\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"" + id + "\"},"
                        + "\"FileAttributeName\":\"dvb_contract\",\"FileName\":\"terms.pdf\"}");
        String continuation = init.json().get("FileContinuationToken").asText();
        String blockData = Base64.getEncoder().encodeToString(randomBytes(5000, 9));
        assertThat(client.apiRequest("POST", token, "UploadBlock", "{\"BlockId\":\"QUE=\",\"BlockData\":\"" + blockData
                + "\",\"FileContinuationToken\":\"" + continuation + "\"}").status()).isEqualTo(204);
        JsonNode commit = client.apiRequest("POST", token, "CommitFileBlocksUpload", "{\"FileName\":\"terms.pdf\","
                + "\"MimeType\":\"application/pdf\",\"BlockList\":[\"QUE=\"],\"FileContinuationToken\":\"" + continuation + "\"}")
                .json();
        JsonNode row = client.api(token, select).json();
        assertThat(row.get("dvb_contract").asText()).isEqualTo(commit.get("FileId").asText());
        assertThat(row.get("dvb_contract_name").asText()).isEqualTo("terms.pdf");
        assertThat(client.api(token, "accounts?$select=accountid&$filter=dvb_contract%20ne%20null%20and%20accountid%20eq%20" + id)
                .json().get("value")).hasSize(1);
        binary("DELETE", "accounts(" + id + ")/dvb_contract", null);
        row = client.api(token, select).json();
        assertThat(row.get("dvb_contract").isNull()).isTrue();
        assertThat(row.get("dvb_contract_name").isNull()).isTrue();

        // an image column that keeps thumbnails only: the row holds the thumbnail, ?size=full answers 204
        byte[] picture = randomBytes(3000, 10);
        assertThat(binary("PATCH", "accounts(" + id + ")/dvb_logo", picture, "Content-Type", "application/octet-stream",
                "x-ms-file-name", "logo.png").statusCode()).isEqualTo(204);
        JsonNode withLogo = client.api(token, "accounts(" + id + ")").json();
        byte[] thumbnail = binary("GET", "accounts(" + id + ")/dvb_logo/$value", null).body();
        assertThat(Base64.getDecoder().decode(withLogo.get("dvb_logo").asText())).isEqualTo(thumbnail);
        assertThat(thumbnail).isEqualTo(Arrays.copyOf(picture, thumbnail.length)).hasSizeLessThan(picture.length);
        String imageId = withLogo.get("dvb_logoid").asText();
        assertThat(withLogo.get("dvb_logo_url").asText()).isEqualTo("/Image/download.aspx?Entity=account&Attribute=dvb_logo&Id="
                + imageId + "&Timestamp=" + withLogo.get("dvb_logo_timestamp").asLong());
        assertThat(binary("GET", "accounts(" + id + ")/dvb_logo/$value?size=full", null).statusCode()).isEqualTo(204);
        // file columns are written through the file APIs only
        assertThat(client.apiRequest("PATCH", token, "accounts(" + id + ")", "{\"dvb_contract_name\":\"x.pdf\"}").status())
                .isEqualTo(400);
    }

    @Test
    void filesAreSavedWithTheStateAndComeBackWithTheirIds() throws Exception {
        String id = newAccount("Saved file");
        byte[] data = randomBytes(70_000, 11);
        binary("PATCH", "accounts(" + id + ")/dvb_contract", data, "Content-Type", "application/pdf", "x-ms-file-name", "saved.pdf");
        String fileId = client.api(token, "accounts(" + id + ")?$select=dvb_contract").json().get("dvb_contract").asText();
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        emulator.state().write(saved);
        try (DataverseEmulator reloaded = DataverseEmulator.builder().tokenLifetime(Duration.ofDays(1))
                .state(EmulatorState.read(new java.io.ByteArrayInputStream(saved.toByteArray()))).start()) {
            TestClient other = new TestClient(reloaded);
            String otherToken = other.appToken();
            assertThat(other.api(otherToken, "accounts(" + id + ")?$select=dvb_contract").json().get("dvb_contract").asText())
                    .isEqualTo(fileId);
            HttpResponse<byte[]> back = other.http.send(HttpRequest.newBuilder(URI.create(reloaded.webApiUrl() + "accounts(" + id
                    + ")/dvb_contract/$value")).header("Authorization", "Bearer " + otherToken).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(back.body()).isEqualTo(data);
            assertThat(back.headers().firstValue("x-ms-file-name")).contains("saved.pdf");
            assertThat(back.headers().firstValue("mimetype")).contains("application/pdf");
        }
    }
}
