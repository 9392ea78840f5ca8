package meshgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import meshgate.gateway.config.WebhookSettings;
import org.junit.jupiter.api.Test;

class EventSinksTest {
    /** Larger than any pipe buffer, so that writing it to a command that never reads cannot succeed. */
    private static final MeshEvent LARGE_EVENT = new MeshEvent(EventKind.MESSAGE_RECEIVED, new EventDetail("X26ABC1",
            "MSG1", "X26ABC2", "X26ABC1", "TEST_WORKFLOW", "DATA", null, "inbound/X26ABC1/MSG1.dat", 10, "received",
            null, "2026-11-30T10:00:00Z", "x".repeat(1 << 20), null, null, null, null, null, null));

    @Test
    void aCommandThatExitsZeroWithoutReadingItsInputHasTakenTheEvent() {
        EventSink sink = EventSinks.command(List.of("true"), Duration.ofSeconds(30));

        assertThatCode(() -> sink.emit(LARGE_EVENT)).doesNotThrowAnyException();
    }

    @Test
    void aCommandThatExitsNonZeroWithoutReadingItsInputHasFailed() {
        EventSink sink = EventSinks.command(List.of("sh", "-c", "exit 3"), Duration.ofSeconds(30));

        assertThatThrownBy(() -> sink.emit(LARGE_EVENT)).isInstanceOf(IOException.class)
                .hasMessageContaining("exited with 3");
    }

    @Test
    void aWebhookThatCannotBeReachedIsNamedWithoutItsUserInfoOrQuery() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        EventSink sink = EventSinks.webhook(new WebhookSettings(URI.create("http://meshgate:unreach-pass-1@127.0.0.1:"
                + closedPort + "/events?token=unreach-token-2")), Clock.systemUTC());

        assertThatThrownBy(() -> sink.emit(LARGE_EVENT)).isInstanceOf(IOException.class)
                .hasMessageContaining("webhook http://127.0.0.1:" + closedPort + "/events failed")
                .hasMessageNotContaining("unreach-pass-1").hasMessageNotContaining("unreach-token-2")
                .hasNoCause();
    }
}
