package meshgate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Differences found by comparing the sandbox, endpoint by endpoint, with MESH's API documentation and the public MESH
 * sandbox (docs/mesh-api.md, section 6, lists each with its source). Expected answers are fixtures written from those
 * sources.
 */
class PublicSandboxParityTest {
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

    private String send(Map<String, String> extra) throws Exception {
        HttpResponse<String> sent = client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                "a,b\n".getBytes(StandardCharsets.UTF_8), extra);
        assertThat(sent.statusCode()).isEqualTo(202);
        return MeshTestClient.messageId(sent);
    }

    @Test
    void messageIdsInPathsAndTrackingQueryAreReadCaseInsensitively() throws Exception {
        // An id's random part is hexadecimal: about one in sixteen has no letter, and tells nothing of case.
        String id = send(Map.of());
        for (int tries = 1; id.toLowerCase(Locale.ROOT).equals(id) && tries < 50; tries++) {
            id = send(Map.of());
        }
        String lower = id.toLowerCase(Locale.ROOT);
        assertThat(lower).isNotEqualTo(id);

        assertThat(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox/" + lower).statusCode()).isEqualTo(200);
        assertThat(client.send(client.request("X26ABC2", "/messageexchange/X26ABC2/inbox/" + lower)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(200);
        HttpResponse<String> tracking = client.get("X26ABC1",
                "/messageexchange/X26ABC1/outbox/tracking?messageID=" + lower);
        assertThat(tracking.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(tracking.body()).path("message_id").asText()).isEqualTo(id);
        assertThat(client.send(client.request("X26ABC2", "/messageexchange/X26ABC2/inbox/" + lower
                + "/status/acknowledged").PUT(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .isEqualTo(200);
        assertThat(JSON.readTree(client.get("X26ABC1", "/messageexchange/X26ABC1/outbox/tracking?messageID=" + id)
                .body()).path("status").asText()).isEqualTo("acknowledged");

        String chunked = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                new byte[] {1}, Map.of("mex-Chunk-Range", "1:2")));
        assertThat(client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/outbox/"
                + chunked.toLowerCase(Locale.ROOT) + "/2").header("mex-Chunk-Range", "2:2")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build()).statusCode()).isEqualTo(202);
    }

    @Test
    void inboxSelfLinkNamesOnlyTheQueryThatDiffersFromTheDefaults() throws Exception {
        JsonNode all = JSON.readTree(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox").body());
        assertThat(all.path("links").path("self").asText()).isEqualTo("/messageexchange/X26ABC2/inbox");

        for (int i = 0; i < 11; i++) {
            send(Map.of());
        }
        JsonNode first = JSON.readTree(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox?max_results=10").body());
        assertThat(first.path("links").path("self").asText()).isEqualTo("/messageexchange/X26ABC2/inbox?max_results=10");
        String next = first.path("links").path("next").asText();
        assertThat(next).startsWith("/messageexchange/X26ABC2/inbox?max_results=10&continue_from=");

        JsonNode second = JSON.readTree(client.get("X26ABC2", next).body());
        assertThat(second.path("links").path("self").asText())
                .as("self is the query without the cursor").isEqualTo("/messageexchange/X26ABC2/inbox?max_results=10");
    }

    @Test
    void adminMessageDetailsHaveThePublicSandboxShape() throws Exception {
        String id = send(Map.of("mex-LocalID", "admin-1", "mex-Subject", "subject-1"));

        HttpResponse<String> response = client.get(null, "/admin/message/" + id);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode details = JSON.readTree(response.body());
        assertThat(fieldNames(details)).containsExactlyInAnyOrder("checksum", "chunk_count", "content_encoding",
                "expiry_time", "filename", "file_size", "is_compressed", "is_encrypted", "local_id", "message_id",
                "message_type", "recipient", "recipient_name", "recipient_ods_code", "recipient_org_code",
                "recipient_org_name", "sender", "sender_name", "sender_ods_code", "sender_org_code", "sender_org_name",
                "status", "status_success", "subject", "upload_timestamp", "workflow_id");
        JsonNode expected = JSON.readTree("{\"checksum\":\"\",\"chunk_count\":1,\"content_encoding\":\"\","
                + "\"filename\":\"" + id + ".dat\",\"file_size\":4,\"is_compressed\":false,\"is_encrypted\":false,"
                + "\"local_id\":\"admin-1\",\"message_id\":\"" + id + "\",\"message_type\":\"Data\","
                + "\"recipient\":\"X26ABC2\",\"recipient_name\":\"TESTMB2\",\"recipient_ods_code\":\"X26\","
                + "\"recipient_org_code\":\"X26\",\"recipient_org_name\":\"\",\"sender\":\"X26ABC1\","
                + "\"sender_name\":\"TESTMB1\",\"sender_ods_code\":\"X26\",\"sender_org_code\":\"X26\","
                + "\"sender_org_name\":\"\",\"status\":\"Accepted\",\"status_success\":\"SUCCESS\","
                + "\"subject\":\"subject-1\",\"workflow_id\":\"TEST_WORKFLOW\"}");
        expected.fields().forEachRemaining(f -> assertThat(details.get(f.getKey())).as(f.getKey())
                .isEqualTo(f.getValue()));
        String microseconds = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}";
        assertThat(details.path("upload_timestamp").asText()).matches(microseconds);
        assertThat(details.path("expiry_time").asText()).matches(microseconds);

        client.send(client.request("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id + "/status/acknowledged")
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        JsonNode acknowledged = JSON.readTree(client.get(null, "/messageexchange/admin/message/" + id).body());
        assertThat(acknowledged.path("status").asText()).isEqualTo("Acknowledged");
        assertThat(acknowledged.path("download_timestamp").asText()).matches(microseconds);
    }

    @Test
    void mailboxDetailsAnswerAsThePublicSandbox() throws Exception {
        String expected = "{\"mailbox_id\":\"X26ABC1\",\"mailbox_name\":\"TESTMB1\",\"billing_entity\":\"England\","
                + "\"ods_code\":\"X26\",\"org_code\":\"X26\",\"org_name\":\"\",\"active\":true}";
        for (String path : new String[] {"/messageexchange/mailbox/X26ABC1", "/admin/mailbox/X26ABC1",
                "/messageexchange/admin/mailbox/x26abc1"}) {
            HttpResponse<String> response = client.get(null, path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(JSON.readTree(response.body())).as(path).isEqualTo(JSON.readTree(expected));
        }
        assertThat(client.get(null, "/messageexchange/mailbox/NOBODY").statusCode()).isEqualTo(404);
    }

    @Test
    void adminResetOfAnUnknownMailboxIs404() throws Exception {
        HttpResponse<String> response = client.send(client.request(null, "/admin/reset/NOBODY").DELETE().build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"detail\":[{\"event\":\"\",\"code\":\"\",\"msg\":\"mailbox does not exist\"}]}"));
    }

    @Test
    void adminMessageEventChangesWhatTrackingAndTheRecipientSee() throws Exception {
        String id = send(Map.of());

        HttpResponse<String> event = client.send(client.request(null, "/admin/message/" + id + "/event")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"status\":\"error\",\"code\":\"14\",\"event\":\"SEND\","
                                + "\"description\":\"something went wrong\"}")).build());
        assertThat(event.statusCode()).isEqualTo(200);

        JsonNode tracking = JSON.readTree(client.get("X26ABC1",
                "/messageexchange/X26ABC1/outbox/tracking?messageID=" + id).body());
        assertThat(tracking.path("status").asText()).isEqualTo("error");
        assertThat(tracking.path("status_success").asBoolean()).isFalse();
        assertThat(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id).statusCode()).isEqualTo(410);

        assertThat(client.send(client.request(null, "/messageexchange/admin/message/NOPE/event")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"error\"}")).build()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void updateAndDeepPingAnswer200() throws Exception {
        HttpResponse<String> update = client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/update")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(update.statusCode()).isEqualTo(200);
        assertThat(client.send(client.request(null, "/messageexchange/X26ABC1/update")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(403);

        HttpResponse<String> deep = client.get(null, "/messageexchange/deepping");
        assertThat(deep.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(deep.body()).path("status").asText()).isEqualTo("running");
    }

    @Test
    void malformedHeadersAreDescribedAsThePublicSandboxDoes() throws Exception {
        HttpResponse<String> response = client.sendMessage("X26ABC1", "X26ABC2", "https://example.org/workflow",
                new byte[] {1}, Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"detail\":[{\"event\":\"TRANSFER\",\"code\":\"06\",\"msg\":\"MalformedControlFile\"}]}"));
    }

    @Test
    void flagHeadersLongerThan20CharactersAre400() throws Exception {
        HttpResponse<String> longFlag = client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {1},
                Map.of("mex-Content-Encrypted", "Y".repeat(21)));
        assertThat(longFlag.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(longFlag.body()).path("detail").get(0).path("loc").get(1).asText())
                .isEqualToIgnoringCase("mex-content-encrypted");
    }

    @Test
    void authenticationIsCheckedBeforeTheRequestHeaders() throws Exception {
        String badToken = meshgate.protocol.AuthToken.create("X26ABC1", "wrong", MeshTestClient.SHARED_KEY,
                java.util.UUID.randomUUID().toString(), 1, java.time.Instant.now()).header();

        HttpResponse<String> handshake = client.send(client.request(null, "/messageexchange/X26ABC1")
                .header("Authorization", badToken).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(handshake.statusCode()).as("handshake without mex-ClientVersion and a bad token").isEqualTo(403);

        HttpResponse<String> send = client.send(client.request(null, "/messageexchange/X26ABC1/outbox")
                .header("Authorization", badToken).header("mex-WorkflowID", "https://example.org")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(send.statusCode()).as("send without mex-To, a malformed workflow and a bad token").isEqualTo(403);
    }

    @Test
    void aReportSaysItHasNoChunks() throws Exception {
        HttpResponse<String> injected = client.send(client.request(null, "/messageexchange/admin/report")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"mailbox_id\":\"X26ABC1\",\"code\":\"14\",\"description\":\"not collected\","
                                + "\"workflow_id\":\"TEST_WORKFLOW\"}")).build());
        String reportId = JSON.readTree(injected.body()).path("message_id").asText();

        HttpResponse<String> download = client.get("X26ABC1", "/messageexchange/X26ABC1/inbox/" + reportId);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEmpty();
        assertThat(download.headers().firstValue("mex-messagetype")).contains("REPORT");
        assertThat(download.headers().firstValue("mex-chunk-range")).contains("1:0");
        assertThat(download.headers().firstValue("mex-total-chunks")).contains("0");
        HttpResponse<String> head = client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/inbox/" + reportId)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.headers().firstValue("mex-chunk-range")).contains("1:0");
        assertThat(JSON.readTree(client.get(null, "/admin/message/" + reportId).body()).path("chunk_count").asInt())
                .isZero();
    }

    @Test
    void richInboxTakesMaxResultsFromOneTo2000() throws Exception {
        send(Map.of());
        send(Map.of());

        HttpResponse<String> one = client.get("X26ABC2", "/messageexchange/X26ABC2/inbox/rich?max_results=1");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(one.body()).path("messages")).hasSize(1);
        assertThat(JSON.readTree(one.body()).path("links").has("next")).isTrue();
        assertThat(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox/rich?max_results=2001").statusCode())
                .isEqualTo(400);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
