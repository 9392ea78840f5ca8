package meshgate.sandbox.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import meshgate.sandbox.MeshSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client suite written to the public MESH sandbox's contract, black box: raw HTTP with the JDK client, the NHSMESH
 * token computed here from the documented algorithm (not with MeshGate's code), the public sandbox's defaults
 * (mailboxes X26ABC1..3, password {@code password}, shared key {@code TestKey}, workflows TEST_WORKFLOW...), only the
 * documented MESH endpoints plus the public sandbox's {@code DELETE /admin/reset}. It is MeshGate's own suite written
 * to that contract, not NHS Digital's suite.
 *
 * <p>It starts MeshGate's sandbox, unless {@code -Dmesh.contract.url=http://host:port} names another server (e.g. the
 * public sandbox in a container, started with {@code SHARED_KEY=TestKey}), so the same suite can be run against both.
 */
class OfficialContractSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V2 = "application/vnd.mesh.v2+json";
    private static final String SHARED_KEY = "TestKey";
    private static final String PASSWORD = "password";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static MeshSandbox sandbox;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        baseUrl = System.getProperty("mesh.contract.url");
        if (baseUrl == null || baseUrl.isBlank()) {
            sandbox = MeshSandbox.builder().start();
            baseUrl = sandbox.baseUrl();
        }
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void reset() throws Exception {
        HttpResponse<String> reset = call(HttpRequest.newBuilder(uri("/admin/reset")).DELETE().build());
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(json(reset).path("message").asText()).isEqualTo("all mailboxes reset");
    }

    // ---- handshake ----

    @Test
    void handshakeWithTheDocumentedClientHeadersIs200() throws Exception {
        HttpResponse<String> v2 = call(handshake("X26ABC1").header("Accept", V2)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(v2.statusCode()).isEqualTo(200);

        HttpResponse<String> v1 = call(handshake("X26ABC1").GET().build());
        assertThat(v1.statusCode()).isEqualTo(200);
        assertThat(json(v1).path("mailboxId").asText()).isEqualTo("X26ABC1");
    }

    @Test
    void handshakeWithoutTheRequiredClientHeadersIs400() throws Exception {
        HttpResponse<String> response = call(authed("X26ABC1", "/messageexchange/X26ABC1").header("Accept", V2)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void aWrongPasswordOrMissingTokenIs403() throws Exception {
        HttpRequest wrong = HttpRequest.newBuilder(uri("/messageexchange/X26ABC1/inbox")).header("Accept", V2)
                .header("Authorization", token("X26ABC1", "not-the-password", SHARED_KEY)).GET().build();
        assertThat(call(wrong).statusCode()).isEqualTo(403);

        HttpRequest none = HttpRequest.newBuilder(uri("/messageexchange/X26ABC1/inbox")).header("Accept", V2)
                .GET().build();
        assertThat(call(none).statusCode()).isEqualTo(403);

        HttpRequest otherMailbox = HttpRequest.newBuilder(uri("/messageexchange/X26ABC1/inbox")).header("Accept", V2)
                .header("Authorization", token("X26ABC2", PASSWORD, SHARED_KEY)).GET().build();
        assertThat(call(otherMailbox).statusCode()).isEqualTo(403);
    }

    // ---- send, inbox, count, download, acknowledge ----

    @Test
    void singleChunkMessageTravelsFromOutboxToInboxAndIsAcknowledged() throws Exception {
        byte[] payload = "Hello World!\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> sent = call(send("X26ABC1", "X26ABC2", "TEST_WORKFLOW", payload,
                Map.of("mex-FileName", "hello.txt", "mex-LocalID", "contract-1", "mex-Subject", "greeting")));
        assertThat(sent.statusCode()).isEqualTo(202);
        String id = json(sent).path("message_id").asText();
        assertThat(id).isNotBlank();

        assertThat(inbox("X26ABC2")).containsExactly(id);
        HttpResponse<String> count = call(authed("X26ABC2", "/messageexchange/X26ABC2/count").header("Accept", V2)
                .GET().build());
        assertThat(count.statusCode()).isEqualTo(200);
        assertThat(json(count).path("count").asInt()).isEqualTo(1);

        HttpResponse<byte[]> download = HTTP.send(authed("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id)
                .header("Accept", V2).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(payload);
        Map<String, String> headers = new LinkedHashMap<>();
        download.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        assertThat(headers).containsEntry("mex-from", "X26ABC1").containsEntry("mex-to", "X26ABC2")
                .containsEntry("mex-workflowid", "TEST_WORKFLOW").containsEntry("mex-chunk-range", "1:1")
                .containsEntry("mex-total-chunks", "1").containsEntry("mex-messagetype", "DATA")
                .containsEntry("mex-messageid", id).containsEntry("mex-filename", "hello.txt")
                .containsEntry("mex-localid", "contract-1").containsEntry("mex-subject", "greeting")
                .containsEntry("mex-addresstype", "ALL").containsEntry("mex-version", "1.0")
                .containsEntry("mex-statuscode", "00").containsEntry("mex-statusevent", "TRANSFER")
                .containsEntry("mex-statussuccess", "SUCCESS")
                .containsEntry("mex-statusdescription", "Transferred to recipient mailbox");

        HttpResponse<String> head = call(authed("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("mex-messageid")).contains(id);

        HttpResponse<String> ack = call(authed("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id
                + "/status/acknowledged").header("Accept", V2).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(inbox("X26ABC2")).isEmpty();
    }

    @Test
    void chunkedMessageIsDeliveredOnlyWhenEveryChunkHasArrived() throws Exception {
        byte[] first = gzip("first half,".getBytes(StandardCharsets.UTF_8));
        byte[] second = gzip("second half".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> sent = call(send("X26ABC1", "X26ABC2", "TEST_WORKFLOW", first,
                Map.of("mex-Chunk-Range", "1:2", "Content-Encoding", "gzip")));
        assertThat(sent.statusCode()).isEqualTo(202);
        String id = json(sent).path("message_id").asText();
        assertThat(inbox("X26ABC2")).as("not delivered while uploading").isEmpty();
        assertThat(tracking("X26ABC1", id).path("status").asText()).isEqualTo("uploading");

        HttpResponse<String> chunk = call(authed("X26ABC1", "/messageexchange/X26ABC1/outbox/" + id + "/2")
                .header("Accept", V2).header("Content-Type", "application/octet-stream")
                .header("Content-Encoding", "gzip").header("mex-Chunk-Range", "2:2")
                .POST(HttpRequest.BodyPublishers.ofByteArray(second)).build());
        assertThat(chunk.statusCode()).isEqualTo(202);
        assertThat(inbox("X26ABC2")).containsExactly(id);

        HttpResponse<byte[]> one = HTTP.send(authed("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id)
                .header("Accept", V2).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(one.statusCode()).isEqualTo(206);
        assertThat(one.headers().firstValue("mex-chunk-range")).contains("1:2");
        assertThat(new String(one.body(), StandardCharsets.UTF_8))
                .as("decompressed for a client that does not accept gzip").isEqualTo("first half,");
        HttpResponse<byte[]> two = HTTP.send(authed("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id + "/2")
                .header("Accept", V2).header("Accept-Encoding", "gzip").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(two.headers().firstValue("mex-chunk-range")).contains("2:2");
        assertThat(two.headers().firstValue("content-encoding")).contains("gzip");
        assertThat(two.body()).isEqualTo(second);
    }

    @Test
    void sendingToAnUnknownMailboxIs417WithMeshErrorCode12() throws Exception {
        HttpResponse<String> sent = call(send("X26ABC1", "NOBODY1", "TEST_WORKFLOW", new byte[] {1}, Map.of()));
        assertThat(sent.statusCode()).isEqualTo(417);
        JsonNode detail = json(sent).path("detail").get(0);
        assertThat(detail.path("event").asText()).isEqualTo("SEND");
        assertThat(detail.path("code").asText()).isEqualTo("12");
        assertThat(detail.path("msg").asText()).isEqualTo("Unregistered to address");
    }

    @Test
    void v1ClientsGetTheV1Shapes() throws Exception {
        HttpResponse<String> sent = call(send("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {1, 2},
                Map.of("Accept", "application/json")));
        assertThat(sent.statusCode()).isEqualTo(202);
        String id = json(sent).path("messageID").asText();
        assertThat(id).isNotBlank();
        HttpResponse<String> ack = call(authed("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id
                + "/status/acknowledged").PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(json(ack).path("messageId").asText()).isEqualTo(id);
    }

    @Test
    void inboxPagesFollowLinksNext() throws Exception {
        List<String> sentIds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sentIds.add(json(call(send("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {(byte) i}, Map.of())))
                    .path("message_id").asText());
        }
        JsonNode page = json(call(authed("X26ABC2", "/messageexchange/X26ABC2/inbox?max_results=10")
                .header("Accept", V2).GET().build()));
        assertThat(page.path("messages")).hasSize(10);
        assertThat(page.path("approx_inbox_count").asInt()).isEqualTo(12);
        String next = page.path("links").path("next").asText();
        assertThat(next).startsWith("/messageexchange/X26ABC2/inbox?");
        List<String> seen = new ArrayList<>();
        page.path("messages").forEach(m -> seen.add(m.asText()));

        JsonNode last = json(call(authed("X26ABC2", next).header("Accept", V2).GET().build()));
        last.path("messages").forEach(m -> seen.add(m.asText()));
        assertThat(last.path("links").has("next")).isFalse();
        assertThat(seen).containsExactlyElementsOf(sentIds);
    }

    // ---- tracking ----

    @Test
    void senderTracksItsMessageThroughAcknowledgement() throws Exception {
        String id = json(call(send("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {7},
                Map.of("mex-LocalID", "track-me")))).path("message_id").asText();

        JsonNode accepted = tracking("X26ABC1", id);
        assertThat(accepted.path("message_id").asText()).isEqualTo(id);
        assertThat(accepted.path("status").asText()).isEqualTo("accepted");
        assertThat(accepted.path("local_id").asText()).isEqualTo("track-me");
        assertThat(accepted.path("recipient").asText()).isEqualTo("X26ABC2");
        assertThat(accepted.path("workflow_id").asText()).isEqualTo("TEST_WORKFLOW");
        assertThat(accepted.path("status_success").asBoolean()).isTrue();

        call(authed("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id + "/status/acknowledged")
                .header("Accept", V2).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(tracking("X26ABC1", id).path("status").asText()).isEqualTo("acknowledged");

        HttpResponse<String> v1 = call(authed("X26ABC1", "/messageexchange/X26ABC1/outbox/tracking?messageID=" + id)
                .header("Accept", "application/json").GET().build());
        assertThat(json(v1).path("status").asText()).isEqualTo("Acknowledged");
        assertThat(json(v1).path("localId").asText()).isEqualTo("track-me");

        HttpResponse<String> byOther = call(authed("X26ABC2", "/messageexchange/X26ABC2/outbox/tracking?messageID="
                + id).header("Accept", V2).GET().build());
        assertThat(byOther.statusCode()).as("only the sender may track").isEqualTo(404);
    }

    // ---- lookup ----

    @Test
    void endpointLookupAndWorkflowSearchFindTheSandboxMailboxes() throws Exception {
        HttpResponse<String> lookup = call(authed("X26ABC1", "/messageexchange/endpointlookup/X26/TEST_WORKFLOW")
                .header("Accept", V2).GET().build());
        assertThat(lookup.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(lookup.body())).isEqualTo(JSON.readTree(
                "{\"results\":[{\"mailbox_id\":\"X26ABC2\",\"mailbox_name\":\"TESTMB2\"}]}"));

        HttpResponse<String> none = call(authed("X26ABC1", "/messageexchange/endpointlookup/X99/TEST_WORKFLOW")
                .header("Accept", V2).GET().build());
        assertThat(json(none).path("results")).isEmpty();

        HttpResponse<String> search = call(authed("X26ABC1", "/messageexchange/workflowsearch/TEST_WORKFLOW_ACK")
                .header("Accept", V2).GET().build());
        List<String> receivers = new ArrayList<>();
        json(search).path("results").forEach(r -> receivers.add(r.path("mailbox_id").asText()));
        assertThat(receivers).containsExactlyInAnyOrder("X26ABC1", "X26ABC3");
    }

    // ---- admin reset ----

    @Test
    void adminResetOfOneMailboxClearsOnlyItsInbox() throws Exception {
        call(send("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {1}, Map.of()));
        call(send("X26ABC1", "X26ABC3", "TEST_WORKFLOW2", new byte[] {2}, Map.of()));

        HttpResponse<String> reset = call(HttpRequest.newBuilder(uri("/admin/reset/X26ABC2")).DELETE().build());
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(json(reset).path("message").asText()).isEqualTo("mailbox X26ABC2 reset");
        assertThat(inbox("X26ABC2")).isEmpty();
        assertThat(inbox("X26ABC3")).hasSize(1);
    }

    // ---- the client side of the contract ----

    private static HttpRequest.Builder handshake(String mailbox) {
        return authed(mailbox, "/messageexchange/" + mailbox)
                .header("mex-ClientVersion", "contract-suite==1.0")
                .header("mex-OSName", "Linux")
                .header("mex-OSVersion", "#1 SMP")
                .header("mex-OSArchitecture", "x86_64")
                .header("mex-JavaVersion", System.getProperty("java.version"));
    }

    private static HttpRequest send(String from, String to, String workflow, byte[] body, Map<String, String> extra) {
        HttpRequest.Builder builder = authed(from, "/messageexchange/" + from + "/outbox")
                .header("Content-Type", "application/octet-stream")
                .header("mex-From", from).header("mex-To", to).header("mex-WorkflowID", workflow);
        if (!extra.containsKey("Accept")) {
            builder.header("Accept", V2);
        }
        extra.forEach(builder::header);
        return builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static List<String> inbox(String mailbox) throws Exception {
        HttpResponse<String> response = call(authed(mailbox, "/messageexchange/" + mailbox + "/inbox")
                .header("Accept", V2).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(response).path("messages").forEach(m -> ids.add(m.asText()));
        return ids;
    }

    private static JsonNode tracking(String mailbox, String messageId) throws Exception {
        HttpResponse<String> response = call(authed(mailbox, "/messageexchange/" + mailbox
                + "/outbox/tracking?messageID=" + messageId).header("Accept", V2).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }

    private static HttpRequest.Builder authed(String mailbox, String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", token(mailbox, PASSWORD, SHARED_KEY));
    }

    /**
     * The documented NHSMESH token: {@code NHSMESH mailbox:nonce:count:timestamp:hmac}, the hmac being hex
     * HMAC-SHA256 under the shared key of {@code mailbox:nonce:count:password:timestamp}. Like the public sandbox's
     * own test helper: a dash-less nonce, count 1, the local clock's yyyyMMddHHmm.
     */
    private static String token(String mailbox, String password, String sharedKey) {
        String nonce = UUID.randomUUID().toString().replace("-", "");
        String timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmm"));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sharedKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String hash = HexFormat.of().formatHex(mac.doFinal((mailbox + ":" + nonce + ":1:" + password + ":"
                    + timestamp).getBytes(StandardCharsets.UTF_8)));
            return "NHSMESH " + mailbox + ":" + nonce + ":1:" + timestamp + ":" + hash;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static HttpResponse<String> call(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
