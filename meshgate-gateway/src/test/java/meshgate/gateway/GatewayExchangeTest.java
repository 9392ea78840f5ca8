package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two gateways, X26ABC1 and X26ABC2, exchange files both ways through the sandbox over mutual TLS. */
class GatewayExchangeTest {
    @TempDir
    static Path dir;
    static GatewayFixture fixture;
    static Gateway one;
    static Gateway two;

    @BeforeAll
    static void start() throws IOException {
        fixture = GatewayFixture.start(dir);
        one = fixture.gateway("X26ABC1", String.join("\n",
                "outbound_mappings:",
                "  - prefix: outbound/to-two/",
                "    mex_from: X26ABC1",
                "    mex_to: X26ABC2",
                "    mex_workflowid: TEST_WORKFLOW"));
        two = fixture.gateway("X26ABC2", "");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void sendsWithMetadataDecodedAndCaseInsensitiveAndReceivesIntact() throws Exception {
        byte[] content = "NHS_NUMBER|NAME\n9434765919|\"Smith\"\n".getBytes(StandardCharsets.UTF_8);
        fixture.drop("X26ABC1", "exports/daily.csv", content, """
                {"MEX-From": "X26ABC1", "Mex-To": "x26abc2", "mex-WorkflowID": "TEST_WORKFLOW",
                 "mex-subject": "my+super+subject+%24%C2%A3%25", "mex-localid": "local%2F42",
                 "mex-filename": "daily.csv", "Content-Type": "text/csv"}""");

        Path stored = awaitInbound("X26ABC2", "local/42");
        assertThat(Files.readAllBytes(stored)).isEqualTo(content);
        Map<String, String> metadata = two.store().metadata(key("X26ABC2", stored));
        assertThat(metadata).containsEntry("mex-subject", "my super subject $£%")
                .containsEntry("mex-localid", "local/42")
                .containsEntry("mex-workflowid", "TEST_WORKFLOW")
                .containsEntry("mex-filename", "daily.csv")
                .containsEntry("mex-from", "X26ABC1")
                .containsEntry("mex-content-type", "text/csv")
                .containsEntry("content-type", "text/csv");
        assertThat(stored.getFileName().toString()).endsWith(".dat");

        eventually(Duration.ofSeconds(10), "the sent file archived", () ->
                outbound(one, "outbound/exports/daily.csv").sentKey() != null);
        OutboundRecord sent = outbound(one, "outbound/exports/daily.csv");
        assertThat(sent.state()).isEqualTo(OutboundState.ACCEPTED);
        assertThat(sent.sentKey()).isEqualTo("sent/" + sent.meshMessageId() + "/exports/daily.csv");
        assertThat(Files.readAllBytes(fixture.root("X26ABC1").resolve(sent.sentKey()))).isEqualTo(content);
        assertThat(Files.exists(fixture.root("X26ABC1").resolve("outbound/exports/daily.csv"))).isFalse();

        eventually(Duration.ofSeconds(20), "tracking says acknowledged", () -> {
            one.trackNow();
            return outbound(one, "outbound/exports/daily.csv").state() == OutboundState.ACKNOWLEDGED;
        });
    }

    @Test
    void usesTheOutboundMappingWhereMetadataHasNoSender() throws Exception {
        fixture.drop("X26ABC1", "to-two/mapped.txt", "mapped".getBytes(StandardCharsets.UTF_8),
                "{\"mex-localid\": \"mapped-1\"}");
        Path stored = awaitInbound("X26ABC2", "mapped-1");
        assertThat(Files.readString(stored)).isEqualTo("mapped");
        Map<String, String> metadata = two.store().metadata(key("X26ABC2", stored));
        assertThat(metadata).containsEntry("mex-workflowid", "TEST_WORKFLOW");
        assertThat(metadata.get("mex-filename")).as("the outbound key's own name is not sent")
                .isEqualTo(metadata.get("mex-messageid") + ".dat");
    }

    @Test
    void sendsTheOtherWayToo() throws Exception {
        fixture.drop("X26ABC2", "reply.json", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), """
                {"mex-from": "X26ABC2", "mex-to": "X26ABC1", "mex-workflowid": "TEST_WORKFLOW_ACK",
                 "mex-localid": "reply-1", "mex-subject": "reply", "content-type": "application/json"}""");
        Path stored = awaitInbound("X26ABC1", "reply-1");
        assertThat(Files.readString(stored)).isEqualTo("{\"ok\":true}");
        assertThat(one.store().metadata(key("X26ABC1", stored))).containsEntry("mex-subject", "reply")
                .containsEntry("mex-content-type", "application/json")
                .containsEntry("content-type", "application/json");
    }

    static Path awaitInbound(String mailbox, String localId) throws InterruptedException {
        return GatewayExchangeTestSupport.awaitInbound(fixture, mailbox.equals("X26ABC1") ? one : two, mailbox,
                localId);
    }

    static String key(String mailbox, Path stored) {
        return fixture.root(mailbox).relativize(stored).toString().replace('\\', '/');
    }

    static OutboundRecord outbound(Gateway gateway, String key) {
        Optional<OutboundRecord> record = Stream.of(OutboundState.values())
                .flatMap(s -> gateway.ledger().outbound(s).stream())
                .filter(r -> r.objectKey().equals(key)).findFirst();
        return record.orElseThrow(() -> new AssertionError("no ledger record for " + key));
    }
}
