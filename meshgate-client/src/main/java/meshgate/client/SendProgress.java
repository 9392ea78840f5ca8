package meshgate.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a send got: the MESH message id once chunk 1 was accepted, how many chunks MESH has accepted, when the send
 * began, and the chunk size it was cut with (a resumed send must cut the same way).
 */
public record SendProgress(Optional<String> messageId, int chunksAccepted, Instant startedAt, int chunkSize,
        boolean isFresh) {
    public SendProgress {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(startedAt, "startedAt");
        if (chunksAccepted < 0) {
            throw new IllegalArgumentException("chunksAccepted must not be negative");
        }
    }

    /** A send that has not begun. */
    public static SendProgress start(Instant now, int chunkSize) {
        return new SendProgress(Optional.empty(), 0, now, chunkSize, true);
    }

    /** A send that began at {@code startedAt} and may have reached MESH, as recorded. */
    public static SendProgress recorded(String messageIdOrNull, int chunksAccepted, Instant startedAt, int chunkSize) {
        return new SendProgress(Optional.ofNullable(messageIdOrNull), chunksAccepted, startedAt, chunkSize, false);
    }
}
