package meshgate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import meshgate.protocol.AuthToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MeshSandboxApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MeshSandbox sandbox;
    private static MeshTestClient client;

    @BeforeAll
    static void start() {
        sandbox = MeshSandbox.builder().start();
        client = new MeshTestClient(sandbox.baseUrl());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clean() {
        sandbox.reset();
    }

    @Test
    void handshakeWithValidTokenAnswers200WithEmptyBody() throws Exception {
        HttpResponse<String> response = client.handshake("X26ABC1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(sandbox.baseUrl()).startsWith("http://127.0.0.1:");
    }

    @Test
    void wrongPasswordIsRefusedWith403AndV2ErrorBody() throws Exception {
        String token = AuthToken.create("X26ABC1", "wrong", "TestKey", UUID.randomUUID().toString(), 1, Instant.now())
                .header();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create(sandbox.baseUrl() + "/messageexchange/X26ABC1/inbox"))
                .header("Accept", "application/vnd.mesh.v2+json").header("Authorization", token).GET().build());

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode detail = JSON.readTree(response.body()).path("detail").get(0);
        assertThat(detail.path("msg").asText()).isEqualTo("Invalid Authentication Token");
        assertThat(detail.path("event").asText()).isEmpty();
    }

    @Test
    void tokenForAnotherMailboxIsRefused() throws Exception {
        HttpResponse<String> response = client.send(client.request("X26ABC1", "/messageexchange/X26ABC2/inbox")
                .GET().build());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("Mailbox id does not match token");
    }

    @Test
    void unknownRecipientIsRefusedWith417Code12() throws Exception {
        HttpResponse<String> response = client.sendMessage("X26ABC1", "NOSUCHMB", "TEST_WORKFLOW",
                "hello".getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(response.statusCode()).isEqualTo(417);
        JsonNode detail = JSON.readTree(response.body()).path("detail").get(0);
        assertThat(detail.path("event").asText()).isEqualTo("SEND");
        assertThat(detail.path("code").asText()).isEqualTo("12");
        assertThat(detail.path("msg").asText()).isEqualTo("Unregistered to address");
    }

    @Test
    void v1ClientsGetV1ErrorShape() throws Exception {
        HttpResponse<String> response = client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/outbox")
                .setHeader("Accept", "application/json")
                .header("mex-To", "NOSUCHMB").header("mex-WorkflowID", "WF")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());

        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(417);
        assertThat(body.path("errorCode").asText()).isEqualTo("12");
        assertThat(body.path("errorEvent").asText()).isEqualTo("SEND");
    }

    @Test
    void chunkedUploadIsInvisibleUntilCompleteThenDownloadsChunkByChunk() throws Exception {
        Random random = new Random(7);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] chunk = new byte[10_000 + i];
            random.nextBytes(chunk);
            chunks.add(chunk);
        }
        HttpResponse<String> first = client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", chunks.get(0),
                Map.of("mex-Chunk-Range", "1:3", "mex-FileName", "big.bin", "mex-LocalID", "local-1"));
        assertThat(first.statusCode()).isEqualTo(202);
        String id = MeshTestClient.messageId(first);
        assertThat(id).matches("\\d{20}_[0-9A-F]{6}");
        assertThat(inbox("X26ABC2")).isEmpty();
        assertThat(tracking("X26ABC1", id).path("status").asText()).isEqualTo("uploading");

        for (int n = 2; n <= 3; n++) {
            HttpResponse<String> chunk = client.send(client.request("X26ABC1",
                            "/messageexchange/X26ABC1/outbox/" + id + "/" + n)
                    .header("Content-Type", "application/octet-stream")
                    .header("mex-Chunk-Range", n + ":3")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(chunks.get(n - 1))).build());
            assertThat(chunk.statusCode()).isEqualTo(202);
        }
        assertThat(inbox("X26ABC2")).containsExactly(id);

        for (int n = 1; n <= 3; n++) {
            String path = "/messageexchange/X26ABC2/inbox/" + id + (n == 1 ? "" : "/" + n);
            HttpResponse<byte[]> download = client.sendForBytes(client.request("X26ABC2", path).GET().build());
            assertThat(download.statusCode()).isEqualTo(n < 3 ? 206 : 200);
            assertThat(download.body()).isEqualTo(chunks.get(n - 1));
            assertThat(download.headers().firstValue("mex-chunk-range")).hasValue(n + ":3");
            assertThat(download.headers().firstValue("mex-from")).hasValue("X26ABC1");
            assertThat(download.headers().firstValue("mex-filename")).hasValue("big.bin");
            assertThat(download.headers().firstValue("mex-localid")).hasValue("local-1");
            assertThat(download.headers().firstValue("mex-messagetype")).hasValue("DATA");
            assertThat(download.headers().firstValue("content-length")).hasValue(String.valueOf(chunks.get(n - 1).length));
        }
    }

    @Test
    void firstChunkWithBadRangeIsRefused() throws Exception {
        HttpResponse<String> response = client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {1},
                Map.of("mex-Chunk-Range", "2:3"));

        assertThat(response.statusCode()).isEqualTo(417);
        assertThat(response.body()).contains("InvalidHeaderChunks");
    }

    @Test
    void inboxPagesFollowNextLinks() throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sent.add(MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                    ("m" + i).getBytes(StandardCharsets.UTF_8), Map.of())));
        }
        List<String> listed = new ArrayList<>();
        String path = "/messageexchange/X26ABC2/inbox?max_results=10";
        int pages = 0;
        while (path != null) {
            JsonNode page = JSON.readTree(client.get("X26ABC2", path).body());
            page.path("messages").forEach(m -> listed.add(m.asText()));
            assertThat(page.path("approx_inbox_count").asInt()).isEqualTo(25);
            path = page.path("links").has("next") ? page.path("links").path("next").asText() : null;
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(listed).containsExactlyElementsOf(sent);
    }

    @Test
    void workflowFilterSelectsMessages() throws Exception {
        String plain = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                new byte[] {1}, Map.of()));
        String ack = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW_ACK",
                new byte[] {2}, Map.of()));

        assertThat(inbox("X26ABC2", "TEST_WORKFLOW")).containsExactly(plain);
        assertThat(inbox("X26ABC2", "!TEST_WORKFLOW")).containsExactly(ack);
        assertThat(inbox("X26ABC2", "TEST_*")).containsExactly(plain, ack);
        assertThat(inbox("X26ABC2", "*_ACK*")).containsExactly(ack);
        assertThat(inbox("X26ABC2", "!*_ACK*")).containsExactly(plain);
        assertThat(inbox("X26ABC2", "!TEST_*")).isEmpty();
    }

    @Test
    void acknowledgeRemovesFromInboxAndIsIdempotent() throws Exception {
        String id = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                new byte[] {1}, Map.of()));
        assertThat(JSON.readTree(client.get("X26ABC2", "/messageexchange/X26ABC2/count").body()).path("count").asInt())
                .isEqualTo(1);

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> ack = client.send(client.request("X26ABC2",
                    "/messageexchange/X26ABC2/inbox/" + id + "/status/acknowledged")
                    .PUT(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(ack.statusCode()).isEqualTo(200);
        }

        assertThat(inbox("X26ABC2")).isEmpty();
        JsonNode tracking = tracking("X26ABC1", id);
        assertThat(tracking.path("status").asText()).isEqualTo("acknowledged");
        assertThat(tracking.path("recipient_name").asText()).isEqualTo("TESTMB2");
        assertThat(tracking.path("status_success").asBoolean()).isTrue();
    }

    @Test
    void unknownMessageIs404AndTrackingByOthersIs404() throws Exception {
        HttpResponse<String> missing = client.get("X26ABC2", "/messageexchange/X26ABC2/inbox/NOPE");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"code\":\"20\"");

        String id = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                new byte[] {1}, Map.of()));
        assertThat(client.get("X26ABC2", "/messageexchange/X26ABC2/outbox/tracking?messageID=" + id).statusCode())
                .isEqualTo(404);
    }

    @Test
    void gzipStoredChunkIsDecompressedForClientsThatDoNotAcceptGzip() throws Exception {
        byte[] plain = "hello, gzip".repeat(100).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        String id = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                gz.toByteArray(), Map.of("Content-Encoding", "gzip")));
        String path = "/messageexchange/X26ABC2/inbox/" + id;

        HttpResponse<byte[]> raw = client.sendForBytes(client.request("X26ABC2", path)
                .header("Accept-Encoding", "gzip").GET().build());
        HttpResponse<byte[]> decoded = client.sendForBytes(client.request("X26ABC2", path).GET().build());

        assertThat(raw.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(raw.body()).isEqualTo(gz.toByteArray());
        assertThat(decoded.headers().firstValue("content-encoding")).isEmpty();
        assertThat(decoded.body()).isEqualTo(plain);
    }

    @Test
    void messagesAboveOneMebibyteStreamThrough() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(big);
        String id = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", big, Map.of()));

        HttpResponse<byte[]> download = client.sendForBytes(client.request("X26ABC2",
                "/messageexchange/X26ABC2/inbox/" + id).GET().build());

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(download.body(), big)).isTrue();
    }

    @Test
    void endpointLookupFindsReceiversByOdsCode() throws Exception {
        JsonNode lookup = JSON.readTree(client.get(null, "/messageexchange/endpointlookup/X26/TEST_WORKFLOW").body());
        JsonNode search = JSON.readTree(client.get(null, "/messageexchange/workflowsearch/TEST_WORKFLOW2").body());

        assertThat(lookup.path("results")).hasSize(1);
        assertThat(lookup.path("results").get(0).path("mailbox_id").asText()).isEqualTo("X26ABC2");
        assertThat(lookup.path("results").get(0).path("mailbox_name").asText()).isEqualTo("TESTMB2");
        assertThat(search.path("results")).hasSize(3);
    }

    @Test
    void headShowsHeadersToRecipientAndSender() throws Exception {
        String id = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                new byte[] {1, 2}, Map.of("mex-Subject", "hi")));

        for (String mailbox : List.of("X26ABC2", "X26ABC1")) {
            HttpResponse<String> head = client.send(client.request(mailbox, "/messageexchange/" + mailbox + "/inbox/" + id)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("mex-subject")).hasValue("hi");
            assertThat(head.headers().firstValue("mex-statuscode")).hasValue("00");
        }
        assertThat(client.send(client.request("X26ABC3", "/messageexchange/X26ABC3/inbox/" + id)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(404);
    }

    @Test
    void injectedReportMarksTheLinkedMessageAndReachesTheInbox() throws Exception {
        String id = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                new byte[] {1}, Map.of("mex-LocalID", "dup")));
        client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {2}, Map.of("mex-LocalID", "dup"));

        HttpResponse<String> injected = client.send(HttpRequest.newBuilder(
                        URI.create(sandbox.baseUrl() + "/messageexchange/report"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"mailbox_id\":\"X26ABC1\",\"code\":\"14\","
                        + "\"status\":\"undeliverable\",\"workflow_id\":\"TEST_WORKFLOW\","
                        + "\"linked_message_id\":\"" + id + "\"}")).build());

        assertThat(injected.statusCode()).isEqualTo(200);
        assertThat(inbox("X26ABC1")).containsExactly(MeshTestClient.messageId(injected));
        assertThat(tracking("X26ABC1", id).path("status").asText()).isEqualTo("undeliverable");
        assertThat(client.get("X26ABC1", "/messageexchange/X26ABC1/outbox/tracking/dup").statusCode()).isEqualTo(300);
        assertThat(client.get("X26ABC1", "/messageexchange/X26ABC1/outbox/tracking/none").statusCode()).isEqualTo(404);
    }

    @Test
    void malformedMeshAcceptHeaderIs400() throws Exception {
        HttpResponse<String> response = client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/count")
                .setHeader("Accept", "application/vnd.mesh.vX+json").GET().build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Accept header api format incorrect");
    }

    private List<String> inbox(String mailbox) throws Exception {
        return ids(client.get(mailbox, "/messageexchange/" + mailbox + "/inbox"));
    }

    private List<String> inbox(String mailbox, String filter) throws Exception {
        return ids(client.get(mailbox, "/messageexchange/" + mailbox + "/inbox?workflow_filter="
                + java.net.URLEncoder.encode(filter, StandardCharsets.UTF_8)));
    }

    private static List<String> ids(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).path("messages").forEach(m -> ids.add(m.asText()));
        return ids;
    }

    private JsonNode tracking(String mailbox, String id) throws Exception {
        HttpResponse<String> response = client.get(mailbox,
                "/messageexchange/" + mailbox + "/outbox/tracking?messageID=" + id);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
