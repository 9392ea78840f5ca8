package meshgate.aws.events;

import static meshgate.aws.S3GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshgate.aws.S3GatewayFixture;
import meshgate.aws.events.AwsEventsTestServer.PutEntry;
import meshgate.gateway.Gateway;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.S3TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway on S3 emits each kind of event to EventBridge and SNS exactly as docs/events.md says, and at least once
 * across a sink that is down and a gateway restarted before delivery. EventBridge and SNS are
 * {@link AwsEventsTestServer}, a stand-in that speaks their protocols to the real AWS SDK, not AWS.
 */
class AwsEventSinksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:eu-west-2:123456789012:mesh-events";

    @TempDir
    Path dir;
    AwsEventsTestServer aws;

    @BeforeAll
    static void credentials() {
        // The sinks use the AWS SDK's default credential chain; its system properties are the test's to set.
        System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
    }

    @BeforeEach
    void startAws() throws Exception {
        aws = AwsEventsTestServer.start();
    }

    @AfterEach
    void stopAws() {
        aws.close();
    }

    private String events() {
        return String.join("\n",
                "tracking_interval: 300ms",
                "events:",
                "  log: false",
                "  eventbridge_bus: mesh-events",
                "  eventbridge_endpoint: " + aws.endpoint(),
                "  sns_topic_arn: " + TOPIC,
                "  sns_endpoint: " + aws.endpoint(),
                "  aws_region: eu-west-2");
    }

    private static Map<String, String> metadata(String to, String localId) {
        return Map.of("mex-from", "X26ABC1", "mex-to", to, "mex-workflowid", "TEST_WORKFLOW", "mex-localid", localId,
                "mex-subject", "events+test");
    }

    @Test
    void everyKindOfEventReachesEventBridgeAndSnsExactlyAsTheSchemaSays() throws Exception {
        try (S3GatewayFixture fixture = new S3GatewayFixture(dir, sandbox -> sandbox
                .messageExpiry(Duration.ofSeconds(4)).expiryCheckInterval(Duration.ofMillis(300)))) {
            Gateway gateway = fixture.start(events());
            fixture.put("outbound/X26ABC1/delivered.json", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8),
                    "application/json", metadata("X26ABC2", "delivered-1"));
            fixture.put("outbound/X26ABC1/never-collected.csv", "b".getBytes(StandardCharsets.UTF_8), "text/csv",
                    metadata("X26ABC3", "ndr-1"));

            eventually(Duration.ofSeconds(60), "six events on EventBridge and SNS", () ->
                    aws.entries().size() >= 6 && aws.published().size() >= 6);

            OutboundRecord delivered = outbound(gateway, "outbound/X26ABC1/delivered.json");
            OutboundRecord expired = outbound(gateway, "outbound/X26ABC1/never-collected.csv");
            assertThat(delivered.state()).isEqualTo(OutboundState.ACKNOWLEDGED);
            assertThat(expired.state()).isEqualTo(OutboundState.UNDELIVERABLE);
            InboundRecord received = gateway.ledger().findInbound("X26ABC2", delivered.meshMessageId()).orElseThrow();
            InboundRecord report = gateway.ledger().inbound(InboundState.ACKNOWLEDGED).stream()
                    .filter(r -> r.mailbox().equals("X26ABC1")).findFirst().orElseThrow();
            Map<String, String> reportHeaders = gateway.store().decodedMetadata(report.objectKey());

            assertThat(aws.entries()).hasSize(6).allSatisfy(entry -> {
                assertThat(entry.eventBusName()).isEqualTo("mesh-events");
                assertThat(entry.source()).isEqualTo("meshgate");
                assertThat(entry.time()).isEqualTo(Instant.parse(entry.detail().path("time").asText()));
            });
            assertThat(only(aws.entries(), "MESH Message Sent", delivered.meshMessageId()))
                    .isEqualTo(sent(fixture, delivered));
            assertThat(only(aws.entries(), "MESH Message Sent", expired.meshMessageId()))
                    .isEqualTo(sent(fixture, expired));
            assertThat(only(aws.entries(), "MESH Delivery Status Changed", delivered.meshMessageId()))
                    .isEqualTo(status(fixture, delivered, "acknowledged"));
            assertThat(only(aws.entries(), "MESH Delivery Status Changed", expired.meshMessageId()))
                    .isEqualTo(status(fixture, expired, "undeliverable"));
            JsonNode receivedDetail = only(aws.entries(), "MESH Message Received", received.messageId());
            assertThat(receivedDetail).isEqualTo(received(fixture, received, receivedDetail, Map.of(
                    "recipient", "X26ABC2", "local_id", "delivered-1", "subject", "events test")));
            JsonNode reportDetail = only(aws.entries(), "MESH Report Received", report.messageId());
            assertThat(reportDetail).isEqualTo(received(fixture, report, reportDetail, Map.of(
                    "recipient", "X26ABC1", "local_id", "ndr-1", "subject", "events test", "status_code", "14",
                    "status_event", reportHeaders.get("mex-statusevent"),
                    "status_description", reportHeaders.get("mex-statusdescription"),
                    "status_success", "ERROR", "linked_message_id", expired.meshMessageId())));
            assertThat(reportDetail.path("type").asText()).isEqualTo("REPORT");
            assertThat(reportDetail.path("key").asText()).endsWith(".ctl");

            // SNS carries the same detail, in the envelope EventBridge gives its targets.
            assertThat(aws.published()).hasSize(6).allSatisfy(message -> {
                JsonNode envelope = JSON.readTree(message.message());
                assertThat(message.topicArn()).isEqualTo(TOPIC);
                assertThat(envelope.path("source").asText()).isEqualTo("meshgate");
                assertThat(message.attributes()).containsEntry("detail_type", envelope.path("detail-type").asText())
                        .containsEntry("mailbox", envelope.path("detail").path("mailbox").asText());
                PutEntry twin = aws.entries().stream().filter(e -> e.detailType()
                        .equals(envelope.path("detail-type").asText()) && e.detail().equals(envelope.path("detail")))
                        .findFirst().orElseThrow(() -> new AssertionError("no EventBridge twin of " + envelope));
                assertThat(envelope.path("time").asText()).isEqualTo(twin.detail().path("time").asText());
            });
        }
    }

    @Test
    void eventsOwedWhileEventBridgeIsDownOrRefusesThemAreDeliveredOnceItTakesThem() throws Exception {
        try (S3GatewayFixture fixture = new S3GatewayFixture(dir, sandbox -> { })) {
            aws.down();
            Gateway gateway = fixture.start(events());
            fixture.put("outbound/X26ABC1/while-down.json", "{}".getBytes(StandardCharsets.UTF_8),
                    "application/json", metadata("X26ABC2", "down-1"));
            eventually(Duration.ofSeconds(60), "sent, received and acknowledged while EventBridge is down", () ->
                    outboundState(gateway, "outbound/X26ABC1/while-down.json") == OutboundState.ACKNOWLEDGED
                            && !gateway.ledger().inbound(InboundState.ACKNOWLEDGED).isEmpty());
            assertThat(aws.entries()).isEmpty();
            assertThat(pending(gateway)).isEqualTo(3.0);

            aws.refuseEntries(2);
            aws.refusePublishes(1);
            aws.up();
            eventually(Duration.ofSeconds(60), "every event delivered", () -> pending(gateway) == 0.0);
            String id = outbound(gateway, "outbound/X26ABC1/while-down.json").meshMessageId();
            assertThat(aws.entries()).extracting(PutEntry::detailType).contains("MESH Message Sent",
                    "MESH Message Received", "MESH Delivery Status Changed");
            assertThat(aws.entries()).allSatisfy(e -> assertThat(e.detail().path("message_id").asText())
                    .isEqualTo(id));
            assertThat(only(aws.entries(), "MESH Message Sent", id))
                    .isEqualTo(sent(fixture, outbound(gateway, "outbound/X26ABC1/while-down.json")));
        }
    }

    @Test
    void eventsOwedWhenTheGatewayStopsAreDeliveredAfterItRestarts() throws Exception {
        try (S3GatewayFixture fixture = new S3GatewayFixture(dir, sandbox -> { })) {
            aws.down();
            String id;
            try (Gateway before = fixture.start(events())) {
                fixture.put("outbound/X26ABC1/before-restart.json", "{}".getBytes(StandardCharsets.UTF_8),
                        "application/json", metadata("X26ABC2", "restart-1"));
                eventually(Duration.ofSeconds(60), "sent and received before the restart", () ->
                        outboundState(before, "outbound/X26ABC1/before-restart.json") == OutboundState.ACKNOWLEDGED
                                && !before.ledger().inbound(InboundState.ACKNOWLEDGED).isEmpty());
                id = outbound(before, "outbound/X26ABC1/before-restart.json").meshMessageId();
            }
            assertThat(aws.entries()).isEmpty();

            aws.up();
            Gateway after = fixture.start(events());
            eventually(Duration.ofSeconds(60), "the events delivered after the restart", () ->
                    pending(after) == 0.0 && aws.entries().size() >= 3);
            assertThat(aws.entries()).extracting(PutEntry::detailType).containsExactlyInAnyOrder("MESH Message Sent",
                    "MESH Message Received", "MESH Delivery Status Changed");
            assertThat(aws.entries()).allSatisfy(e -> assertThat(e.detail().path("message_id").asText())
                    .isEqualTo(id));
            assertThat(only(aws.entries(), "MESH Delivery Status Changed", id))
                    .isEqualTo(status(fixture, outbound(after, "outbound/X26ABC1/before-restart.json"),
                            "acknowledged"));
        }
    }

    /** The detail of the one entry of this kind about this message. */
    private static JsonNode only(List<PutEntry> entries, String detailType, String messageId) {
        List<JsonNode> found = entries.stream().filter(e -> e.detailType().equals(detailType)
                && e.detail().path("message_id").asText().equals(messageId)).map(PutEntry::detail).toList();
        assertThat(found).as(detailType + " of " + messageId).hasSize(1);
        return found.get(0);
    }

    /** docs/events.md, message_sent: field by field. */
    private static JsonNode sent(S3GatewayFixture fixture, OutboundRecord record) {
        return normal(outboundDetail(fixture, record, "accepted", record.acceptedAt()));
    }

    /** docs/events.md, delivery_status_changed: field by field. */
    private static JsonNode status(S3GatewayFixture fixture, OutboundRecord record, String status) {
        ObjectNode detail = outboundDetail(fixture, record, status, record.updatedAt());
        if (record.reason() != null) {
            detail.put("status_description", record.reason());
        }
        return normal(detail);
    }

    /** As read from JSON, so that numbers compare by value. */
    private static JsonNode normal(JsonNode node) {
        try {
            return JSON.readTree(JSON.writeValueAsString(node));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode outboundDetail(S3GatewayFixture fixture, OutboundRecord record, String status,
            Instant time) {
        ObjectNode detail = JSON.createObjectNode().put("mailbox", "X26ABC1")
                .put("message_id", record.meshMessageId()).put("sender", "X26ABC1")
                .put("recipient", record.recipient()).put("workflow_id", "TEST_WORKFLOW").put("type", "DATA")
                .put("bucket", fixture.bucket()).put("key", record.objectKey()).put("size", record.size())
                .put("status", status).put("local_id", record.localId()).put("time", time.toString());
        return detail;
    }

    /**
     * docs/events.md, message_received and report_received: field by field; {@code time} is when the message was
     * acknowledged, between the record's creation and its last update (recording the event).
     */
    private static JsonNode received(S3GatewayFixture fixture, InboundRecord record, JsonNode actual,
            Map<String, String> more) {
        Instant time = Instant.parse(actual.path("time").asText());
        assertThat(time).isBetween(record.createdAt(), record.updatedAt());
        ObjectNode detail = JSON.createObjectNode().put("mailbox", record.mailbox())
                .put("message_id", record.messageId());
        Optional.ofNullable(record.sender()).ifPresent(s -> detail.put("sender", s));
        detail.put("recipient", more.get("recipient"));
        Optional.ofNullable(record.workflowId()).ifPresent(w -> detail.put("workflow_id", w));
        detail.put("type", record.messageType()).put("bucket", fixture.bucket()).put("key", record.objectKey())
                .put("size", record.size()).put("status", "received").put("local_id", more.get("local_id"))
                .put("time", actual.path("time").asText());
        Optional.ofNullable(more.get("subject")).ifPresent(s -> detail.put("subject", s));
        if (actual.has("file_name")) {
            detail.put("file_name", actual.path("file_name").asText());
        }
        for (String field : List.of("status_code", "status_event", "status_description", "status_success",
                "linked_message_id")) {
            Optional.ofNullable(more.get(field)).ifPresent(v -> detail.put(field, v));
        }
        return normal(detail);
    }

    private static OutboundRecord outbound(Gateway gateway, String key) {
        return gateway.ledger().outbound(OutboundState.values()).stream().filter(r -> r.objectKey().equals(key))
                .findFirst().orElseThrow();
    }

    private static OutboundState outboundState(Gateway gateway, String key) {
        return gateway.ledger().outbound(OutboundState.values()).stream().filter(r -> r.objectKey().equals(key))
                .map(OutboundRecord::state).findFirst().orElse(null);
    }

    private static double pending(Gateway gateway) {
        var gauge = gateway.metrics().registry().find("meshgate.events.pending").gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }
}
