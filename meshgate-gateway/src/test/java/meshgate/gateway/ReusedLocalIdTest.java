package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.sandbox.fault.FaultKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corrected file sent again under the same {@code mex-localid}, whose first chunk MESH creates but answers with a
 * 503: the gateway never archives it as the earlier message, and never sends it a second time. It keeps the file
 * and asks MESH again at later scans.
 */
class ReusedLocalIdTest {
    private static final String METADATA = """
            {"mex-from": "X26ABC1", "mex-to": "X26ABC2", "mex-workflowid": "TEST_WORKFLOW",
             "mex-localid": "ref-1", "mex-filename": "daily.csv"}""";

    @TempDir
    static Path dir;
    static GatewayFixture fixture;
    static Gateway sender;
    static MeshClient recipient;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start(dir);
        sender = fixture.gateway("X26ABC1", "");
        recipient = MeshClient.builder()
                .baseUrl(URI.create(fixture.sandbox.baseUrl()))
                .credentials("X26ABC2", "password", "TestKey")
                .tls(MeshTls.fromPem(fixture.certificates.clientCertificate("X26ABC2"),
                        fixture.certificates.clientKey("X26ABC2"), GatewayFixture.PASSPHRASE.toCharArray(),
                        fixture.certificates.caBundle()))
                .build();
    }

    @AfterAll
    static void stop() {
        recipient.close();
        fixture.close();
    }

    @Test
    void correctedFileUnderTheSameLocalIdIsNeitherTakenForTheEarlierNorSentTwice() throws Exception {
        fixture.drop("X26ABC1", "daily.csv", "monday".getBytes(StandardCharsets.UTF_8), METADATA);
        eventually(Duration.ofSeconds(30), "the first file accepted", () -> record("outbound/daily.csv")
                .map(r -> r.state() == OutboundState.ACCEPTED).orElse(false));
        String earlier = record("outbound/daily.csv").orElseThrow().meshMessageId();

        fixture.sandbox.faults().failNext("POST", "/messageexchange/X26ABC1/outbox",
                FaultKind.HTTP_503_AFTER_PROCESSING);
        fixture.drop("X26ABC1", "daily-corrected.csv", "monday, corrected".getBytes(StandardCharsets.UTF_8),
                METADATA);
        eventually(Duration.ofSeconds(60), "the corrected file settled, or looked up again at later scans",
                () -> record("outbound/daily-corrected.csv")
                        .map(r -> r.state() == OutboundState.ACCEPTED || r.state() == OutboundState.FAILED
                                || r.attempts() >= 3).orElse(false));

        List<String> delivered = recipient.inbox().stream()
                .filter(id -> recipient.headers(id).localId().filter("ref-1"::equals).isPresent()).toList();
        assertThat(delivered).as("the earlier message and exactly one new one").hasSize(2).contains(earlier);
        OutboundRecord corrected = record("outbound/daily-corrected.csv").orElseThrow();
        assertThat(corrected.state()).as("kept, since MESH cannot say which message it is")
                .isEqualTo(OutboundState.SENDING);
        assertThat(corrected.meshMessageId()).as("never the earlier message's id").isNull();
        assertThat(Files.exists(fixture.root("X26ABC1").resolve("outbound/daily-corrected.csv"))).isTrue();
    }

    private static Optional<OutboundRecord> record(String key) {
        return sender.ledger().outbound(OutboundState.values()).stream()
                .filter(r -> r.objectKey().equals(key)).findFirst();
    }
}
