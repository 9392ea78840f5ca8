package meshgate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers compared field by field with what MESH's API documentation and the public MESH sandbox give for the same
 * request. The expected bodies are fixtures written from the documentation.
 */
class OfficialAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A bare 404, as MESH renders it in v2. */
    private static final String NOT_FOUND_V2 = "{\"detail\":[{\"event\":\"\",\"code\":\"\",\"msg\":\"Not Found\"}]}";
    private static final String NO_AUTHORIZATION_V2 =
            "{\"detail\":[{\"event\":\"\",\"code\":\"\",\"msg\":\"Error reading from Authorization header\"}]}";
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
                "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), extra);
        assertThat(sent.statusCode()).isEqualTo(202);
        return MeshTestClient.messageId(sent);
    }

    private HttpResponse<String> download(String messageId) throws Exception {
        return client.get("X26ABC2", "/messageexchange/X26ABC2/inbox/" + messageId);
    }

    @Test
    void downloadAndHeadCarryTotalChunksOneForASingleChunk() throws Exception {
        String id = send(Map.of());

        assertThat(download(id).headers().firstValue("mex-total-chunks")).contains("1");
        HttpResponse<String> head = client.send(client.request("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.headers().firstValue("mex-total-chunks")).contains("1");
    }

    @Test
    void singleChunkHttpContentTypeIsKeptAndReturnedByV2Download() throws Exception {
        HttpResponse<String> sent = client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/outbox")
                .header("Content-Type", "text/csv").header("mex-From", "X26ABC1").header("mex-To", "X26ABC2")
                .header("mex-WorkflowID", "TEST_WORKFLOW")
                .POST(HttpRequest.BodyPublishers.ofString("a,b\n")).build());
        String id = MeshTestClient.messageId(sent);

        HttpResponse<String> response = download(id);
        assertThat(response.headers().firstValue("content-type")).contains("text/csv");
        assertThat(response.headers().firstValue("mex-content-type")).contains("text/csv");
    }

    @Test
    void notFoundAnswersHaveMeshBareNotFoundBody() throws Exception {
        String id = send(Map.of());

        assertJson(client.get("X26ABC1", "/messageexchange/X26ABC1/outbox/tracking?messageID=NOPE"), 404,
                NOT_FOUND_V2);
        assertJson(client.get("X26ABC2", "/messageexchange/X26ABC2/outbox/tracking?messageID=" + id), 404,
                NOT_FOUND_V2);
        assertJson(client.get("X26ABC1", "/messageexchange/X26ABC1/outbox/tracking/no-such-local-id"), 404,
                NOT_FOUND_V2);
        assertJson(client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/outbox/NOPE/2")
                .header("mex-Chunk-Range", "2:2").POST(HttpRequest.BodyPublishers.ofString("x")).build()), 404,
                NOT_FOUND_V2);
    }

    @Test
    void missingAuthorizationIs403WithJsonBody() throws Exception {
        assertJson(client.get(null, "/messageexchange/X26ABC1/inbox"), 403, NO_AUTHORIZATION_V2);
    }

    @Test
    void chunkNumberZeroIs400() throws Exception {
        String id = send(Map.of());

        HttpResponse<String> response = client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/outbox/"
                + id + "/0").header("mex-Chunk-Range", "0:2").POST(HttpRequest.BodyPublishers.ofString("x")).build());

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void unrecognisedFlagValueIsAcceptedAsUnset() throws Exception {
        String id = send(Map.of("mex-Content-Encrypted", "N/A", "mex-Content-Compressed", "N/A"));

        HttpResponse<String> response = download(id);
        assertThat(response.headers().firstValue("mex-content-encrypted")).isEmpty();
        assertThat(response.headers().firstValue("mex-content-compressed")).isEmpty();
    }

    @Test
    void v2SuccessAnswersUseMeshContentTypes() throws Exception {
        HttpResponse<String> sent = client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {1},
                Map.of("mex-Chunk-Range", "1:2"));
        assertThat(sent.headers().firstValue("content-type")).contains("application/json");
        String id = MeshTestClient.messageId(sent);

        HttpResponse<String> chunk = client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/outbox/" + id
                + "/2").header("mex-Chunk-Range", "2:2").POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(chunk.statusCode()).isEqualTo(202);
        assertThat(chunk.body()).isEqualTo("null");
        assertThat(chunk.headers().firstValue("content-type")).contains("application/json");

        for (String path : new String[] {"/messageexchange/X26ABC2/count",
                "/messageexchange/endpointlookup/X26/TEST_WORKFLOW", "/messageexchange/workflowsearch/TEST_WORKFLOW"}) {
            HttpResponse<String> response = client.get("X26ABC2", path);
            assertThat(response.headers().firstValue("content-type")).as(path).contains("application/json");
        }
        assertThat(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox").headers().firstValue("content-type"))
                .contains("application/vnd.mesh.v2+json");
    }

    /** The fields of MESH's v1 tracking answer; it has no others. */
    private static final java.util.Set<String> V1_TRACKING_FIELDS = java.util.Set.of("addressType", "checksum",
            "chunkCount", "compressFlag", "contentEncoding", "downloadTimestamp", "dtsId", "encryptedFlag",
            "expiryTime", "failureDate", "failureDiagnostic", "fileName", "fileSize", "isCompressed", "linkedMsgId",
            "localId", "meshRecipientOdsCode", "messageId", "messageType", "partnerId", "recipient", "recipientName",
            "recipientOrgCode", "recipientOrgName", "recipientSmtp", "sender", "senderName", "senderOdsCode",
            "senderOrgCode", "senderOrgName", "senderSmtp", "status", "statusCode", "statusDescription",
            "statusEvent", "statusSuccess", "statusTimestamp", "subject", "uploadTimestamp", "version", "workflowId");

    @Test
    void v2TrackingHasEmptyStringsForUnknownTextAndTimestampsWithFractions() throws Exception {
        String id = send(Map.of());

        JsonNode tracking = JSON.readTree(client.get("X26ABC1",
                "/messageexchange/X26ABC1/outbox/tracking?messageID=" + id).body());

        assertThat(tracking.path("local_id").isTextual()).isTrue();
        assertThat(tracking.path("local_id").asText()).isEmpty();
        assertThat(tracking.path("recipient_org_name").isTextual()).isTrue();
        String microseconds = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}";
        assertThat(tracking.path("upload_timestamp").asText()).matches(microseconds);
        assertThat(tracking.path("expiry_time").asText()).matches(microseconds);
    }

    @Test
    void v1TrackingAndTrackingByLocalIdHaveMeshFieldsOnly() throws Exception {
        String id = send(Map.of("mex-LocalID", "local-1"));
        HttpResponse<String> v1 = client.send(client.request("X26ABC1",
                "/messageexchange/X26ABC1/outbox/tracking?messageID=" + id).setHeader("Accept", "application/json")
                .GET().build());
        HttpResponse<String> byLocalId = client.get("X26ABC1", "/messageexchange/X26ABC1/outbox/tracking/local-1");

        for (HttpResponse<String> response : java.util.List.of(v1, byLocalId)) {
            JsonNode tracking = JSON.readTree(response.body());
            java.util.List<String> fields = new java.util.ArrayList<>();
            tracking.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).isSubsetOf(V1_TRACKING_FIELDS);
            tracking.fields().forEachRemaining(f -> assertThat(f.getValue().isNull()).as(f.getKey()).isFalse());
            assertThat(tracking.path("messageType").asText()).isEqualTo("Data");
            assertThat(tracking.path("dtsId").asText()).isEqualTo(id);
            assertThat(tracking.path("messageId").asText()).isEqualTo(id);
            for (String empty : new String[] {"checksum", "compressFlag", "encryptedFlag", "isCompressed", "partnerId",
                    "recipientSmtp", "senderSmtp", "downloadTimestamp", "contentEncoding"}) {
                assertThat(tracking.path(empty).isTextual()).as(empty).isTrue();
                assertThat(tracking.path(empty).asText()).as(empty).isEmpty();
            }
            assertThat(tracking.path("localId").asText()).isEqualTo("local-1");
            assertThat(tracking.path("statusSuccess").asText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void adminEndpointsAnswerAsThePublicSandbox() throws Exception {
        String id = send(Map.of("mex-LocalID", "admin-1"));

        HttpResponse<String> details = client.get(null, "/messageexchange/admin/message/" + id);
        assertThat(details.statusCode()).isEqualTo(200);
        JsonNode message = JSON.readTree(details.body());
        assertThat(message.path("message_id").asText()).isEqualTo(id);
        assertThat(message.path("recipient").asText()).isEqualTo("X26ABC2");
        assertThat(message.path("local_id").asText()).isEqualTo("admin-1");
        assertThat(client.get(null, "/admin/message/NOPE").statusCode()).isEqualTo(404);

        assertJson(delete("/admin/reset/X26ABC2"), 200, "{\"message\":\"mailbox X26ABC2 reset\"}");
        assertThat(client.get(null, "/admin/message/" + id).statusCode()).isEqualTo(404);
        assertThat(delete("/messageexchange/admin/reset/NOBODY").statusCode()).isEqualTo(404);

        send(Map.of());
        assertJson(delete("/admin/reset"), 200, "{\"message\":\"all mailboxes reset\"}");
        assertJson(delete("/messageexchange/admin/reset"), 200, "{\"message\":\"all mailboxes reset\"}");
        assertThat(JSON.readTree(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox").body())
                .path("messages")).isEmpty();
        assertThat(client.send(client.request(null, "/admin/reset").POST(HttpRequest.BodyPublishers.noBody())
                .build()).statusCode()).as("the POST form still works").isEqualTo(200);
    }

    @Test
    void richInboxAndOutboxHaveMeshShape() throws Exception {
        String id = send(Map.of());

        JsonNode inbox = JSON.readTree(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox/rich").body());
        assertThat(fieldNames(inbox)).containsExactlyInAnyOrder("valid_at", "messages", "links");
        assertThat(inbox.path("links").path("self").asText()).startsWith("/messageexchange/X26ABC2/inbox/rich?");
        JsonNode received = inbox.path("messages").get(0);
        assertThat(fieldNames(received)).containsExactlyInAnyOrder("message_id", "expiry_timestamp", "message_type",
                "recipient", "recipient_name", "sender", "sender_name", "sent_date", "status", "workflow_id",
                "total_chunks");
        assertThat(received.path("message_id").asText()).isEqualTo(id);
        assertThat(received.path("status").asText()).isEqualTo("accepted");

        JsonNode outbox = JSON.readTree(client.get("X26ABC1", "/messageexchange/X26ABC1/outbox/rich").body());
        JsonNode sent = outbox.path("messages").get(0);
        assertThat(sent.path("message_id").asText()).isEqualTo(id);
        assertThat(sent.path("local_id").asText()).as("empty, not missing, in the outbox").isEmpty();
        assertThat(sent.path("status_code").isTextual()).isTrue();
        assertThat(sent.path("recipient").asText()).isEqualTo("X26ABC2");
    }

    private static java.util.List<String> fieldNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return client.send(client.request(null, path).DELETE().build());
    }

    private static void assertJson(HttpResponse<String> response, int status, String expected) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode actual = JSON.readTree(response.body());
        assertThat(actual).isEqualTo(JSON.readTree(expected));
    }

}
