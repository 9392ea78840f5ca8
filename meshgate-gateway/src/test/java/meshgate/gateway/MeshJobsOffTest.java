package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code mesh_jobs: false} the gateway does not talk to MESH at all: no handshake, no poll, no send, no
 * tracking. A second gateway on its own sandbox, with the same schedule and jobs on, is the clock: once it has polled
 * several times and sent its file, the first would have too.
 */
class MeshJobsOffTest {
    private static final String SCHEDULE = String.join("\n",
            "handshake_interval: 300ms",
            "tracking_interval: 300ms",
            "metrics:",
            "  port: 0");
    private static final String TO_TWO = "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", "
            + "\"mex-workflowid\": \"TEST_WORKFLOW\", \"mex-localid\": \"jobs-off-1\"}";

    @TempDir
    Path offDir;
    @TempDir
    Path onDir;

    @Test
    void withMeshJobsOffTheGatewayNeitherValidatesPollsSendsNorTracks() throws Exception {
        try (GatewayFixture off = GatewayFixture.start(offDir); GatewayFixture on = GatewayFixture.start(onDir)) {
            byte[] content = "waits for mesh_jobs".getBytes(StandardCharsets.UTF_8);
            off.drop("X26ABC1", "waiting.csv", content, TO_TWO);
            on.drop("X26ABC1", "waiting.csv", content, TO_TWO);

            Gateway quiet = off.gateway("X26ABC1", "mesh_jobs: false\n" + SCHEDULE);
            Gateway clock = on.gateway("X26ABC1", SCHEDULE);

            eventually(Duration.ofSeconds(60), "the gateway with jobs on has sent its file and polled 5 times", () ->
                    !clock.ledger().outbound(OutboundState.ACCEPTED).isEmpty() && polls(clock) >= 5);

            assertThat(off.sandbox.connectionsAccepted()).as("connections to MESH").isZero();
            assertThat(quiet.ledger().outbound(OutboundState.values())).isEmpty();
            assertThat(quiet.ledger().inbound(InboundState.values())).isEmpty();
            assertThat(Files.readAllBytes(off.root("X26ABC1").resolve("outbound/waiting.csv"))).isEqualTo(content);
            assertThat(MailboxCredentialsTest.healthBody(quiet)).contains("\"mesh_jobs\":false");
        }
    }

    private static double polls(Gateway gateway) {
        Counter polls = gateway.metrics().registry().find("meshgate.inbox.polls").counter();
        return polls == null ? 0 : polls.count();
    }
}
