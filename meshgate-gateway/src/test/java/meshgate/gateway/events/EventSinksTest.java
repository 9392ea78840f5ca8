package meshgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSinksTest {
    /** Larger than any pipe buffer, so that writing it to a command that never reads cannot succeed. */
    private static final InboundEvent LARGE_EVENT = new InboundEvent(InboundEvent.STORED, "X26ABC1", "MSG1",
            "X26ABC2", "TEST_WORKFLOW", "DATA", "inbound/X26ABC1/MSG1.dat", 10, "x".repeat(1 << 20), null, null,
            null, null, null, null, null);

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
}
