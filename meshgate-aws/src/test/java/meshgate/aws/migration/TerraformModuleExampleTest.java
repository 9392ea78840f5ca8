package meshgate.aws.migration;

import static meshgate.aws.S3GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import meshgate.aws.S3GatewayFixture;
import meshgate.gateway.Gateway;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * terraform-aws-mesh-client's documented example, against MeshGate on S3: an object put under
 * {@code outbound/{sender}/{uuid}.json} with {@code quote_plus}-encoded {@code mex-*} metadata (written here with the
 * AWS SDK for Java, as the README writes it with boto3) is sent; and a handler written like the README's (the new
 * object's metadata, keys lower-cased, values {@code unquote_plus}-ed) finds {@code mex-messageid}, {@code mex-from},
 * {@code mex-workflowid} and {@code mex-messagetype} on every object received: small, multi-part, and a report.
 */
class TerraformModuleExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theReadmesPutObjectIsDeliveredAndItsHandlerFindsTheMeshMetadataOnEveryReceivedObject() throws Exception {
        try (S3GatewayFixture fixture = new S3GatewayFixture(dir, sandbox -> sandbox
                .messageExpiry(Duration.ofSeconds(20)).expiryCheckInterval(Duration.ofMillis(300)))) {
            Gateway gateway = fixture.start("tracking_interval: 1h");
            String sender = "X26ABC1";
            String recipient = "X26ABC2";
            String myId = UUID.randomUUID().toString().replace("-", "");
            String key = "outbound/" + sender + "/" + myId + ".json";
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("mex-From", sender);
            metadata.put("mex-To", recipient);
            metadata.put("mex-WorkflowId", "PATHOLOGY_RESULT");
            metadata.put("mex-Subject", "my super subject $£% etc");
            metadata.put("mex-LocalId", myId);
            metadata.replaceAll((name, value) -> quotePlus(value)); // don't forget to escape metadata values
            fixture.put(key, "{\"result\": \"negative\"}".getBytes(StandardCharsets.UTF_8), "application/json",
                    metadata);

            // Bigger than the S3 store's part size: stored with a multipart upload.
            byte[] large = new byte[(int) (S3GatewayFixture.PART_SIZE + 1024 * 1024)];
            new Random(7).nextBytes(large);
            fixture.put("outbound/" + sender + "/large.bin", large, "application/octet-stream", Map.of(
                    "mex-from", sender, "mex-to", recipient, "mex-workflowid", "PATHOLOGY_RESULT",
                    "mex-localid", "large-1", "mex-partnerid", quotePlus("partner 7")));
            // Never collected: MESH's non-delivery report comes back to the sender as a .ctl.
            fixture.put("outbound/" + sender + "/nobody.json", "{}".getBytes(StandardCharsets.UTF_8),
                    "application/json", Map.of("mex-from", sender, "mex-to", "X26ABC3", "mex-workflowid",
                            "PATHOLOGY_RESULT"));

            eventually(Duration.ofSeconds(120), "two messages and a report received", () -> gateway.ledger()
                    .inbound(InboundState.ACKNOWLEDGED).stream().map(InboundRecord::messageType).sorted().toList()
                    .equals(List.of("DATA", "DATA", "REPORT")));
            OutboundRecord sent = gateway.ledger().outbound(OutboundState.values()).stream()
                    .filter(r -> r.objectKey().equals(key)).findFirst().orElseThrow();
            InboundRecord received = gateway.ledger().findInbound(recipient, sent.meshMessageId()).orElseThrow();
            Map<String, String> delivered = handler(fixture, received.objectKey());
            assertThat(delivered).containsEntry("mex-subject", "my super subject $£% etc")
                    .containsEntry("mex-localid", myId).containsEntry("mex-to", recipient);
            assertThat(sent.localId()).isEqualTo(myId);

            List<S3Object> inbound = fixture.s3().listObjectsV2(r -> r.bucket(fixture.bucket())
                    .prefix("inbound/")).contents();
            assertThat(inbound).extracting(S3Object::key).as("only the received objects under inbound/")
                    .hasSize(3).allSatisfy(k -> assertThat(k).matches("inbound/X26ABC[12]/[^/]+\\.(dat|ctl)"));
            for (S3Object object : inbound) {
                Map<String, String> mesh = handler(fixture, object.key());
                assertThat(mesh).as(object.key()).containsKeys("mex-messageid", "mex-workflowid", "mex-messagetype");
                if (object.key().endsWith(".dat")) {
                    // MESH's own reports have no mex-from (docs/mesh-api.md), as with the module.
                    assertThat(mesh).as(object.key()).containsEntry("mex-from", sender);
                }
                assertThat(object.key()).contains(mesh.get("mex-messageid"));
                assertThat(mesh.get("mex-workflowid")).isEqualTo("PATHOLOGY_RESULT");
            }
            S3Object largeObject = inbound.stream().filter(o -> o.size() == large.length).findFirst().orElseThrow();
            assertThat(handler(fixture, largeObject.key())).containsEntry("mex-messagetype", "DATA")
                    .containsEntry("mex-from", sender).containsEntry("mex-partnerid", "partner 7");
            S3Object report = inbound.stream().filter(o -> o.key().endsWith(".ctl")).findFirst().orElseThrow();
            assertThat(handler(fixture, report.key())).containsEntry("mex-messagetype", "REPORT");
            HeadObjectResponse head = fixture.s3().headObject(r -> r.bucket(fixture.bucket()).key(report.key()));
            assertThat(head.contentType()).isEqualTo("application/json");
            JsonNode ctl = JSON.readTree(fixture.s3().getObjectAsBytes(r -> r.bucket(fixture.bucket())
                    .key(report.key())).asByteArray());
            assertThat(ctl.path("Mex-MessageType").asText()).isEqualTo("REPORT");
            assertThat(ctl.path("Mex-StatusCode").asText()).isEqualTo("14");
        }
    }

    @Test
    void anObjectStoredWithContentEncodingGzipIsSentAsItsStoredBytesAsTheModuleSendsIt() throws Exception {
        try (S3GatewayFixture fixture = new S3GatewayFixture(dir, sandbox -> { })) {
            Gateway gateway = fixture.start("tracking_interval: 1h");
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
                out.write("a,b\n1,2\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
            }
            byte[] stored = gzipped.toByteArray();
            fixture.s3().putObject(r -> r.bucket(fixture.bucket()).key("outbound/X26ABC1/export.csv.gz")
                    .contentType("text/csv").contentEncoding("gzip").metadata(Map.of("mex-from", "X26ABC1",
                            "mex-to", "X26ABC2", "mex-workflowid", "PATHOLOGY_RESULT")), RequestBody.fromBytes(stored));

            eventually(Duration.ofSeconds(60), "the message received", () -> !gateway.ledger()
                    .inbound(InboundState.ACKNOWLEDGED).isEmpty());
            InboundRecord received = gateway.ledger().inbound(InboundState.ACKNOWLEDGED).get(0);
            byte[] arrived = fixture.s3().getObjectAsBytes(r -> r.bucket(fixture.bucket())
                    .key(received.objectKey())).asByteArray();
            // The module never compresses an object that has a Content-Encoding, and sends its bytes as they are,
            // without a Content-Encoding of its own: the recipient gets the gzip bytes.
            assertThat(arrived).isEqualTo(stored);
            assertThat(handler(fixture, received.objectKey())).doesNotContainKey("content-encoding");
        }
    }

    /**
     * The README's handler: the object's user metadata, keys lower-cased, {@code mex-*} only, values
     * {@code unquote_plus}-ed.
     */
    private static Map<String, String> handler(S3GatewayFixture fixture, String key) {
        Map<String, String> mesh = new LinkedHashMap<>();
        fixture.s3().headObject(r -> r.bucket(fixture.bucket()).key(key)).metadata().forEach((name, value) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith("mex-")) {
                mesh.put(name.toLowerCase(Locale.ROOT), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        });
        return mesh;
    }

    /** Python's {@code urllib.parse.quote_plus}: letters, digits and {@code _.-~} kept, space as {@code +}. */
    static String quotePlus(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.-~".indexOf(c) >= 0) {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
