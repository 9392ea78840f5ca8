package meshgate.gateway.outbound;

import java.time.Duration;

/**
 * Whether a send may go on to its next chunk. A runtime with a deadline (an AWS Lambda invocation) stops between two
 * chunks, with the progress recorded, rather than in the middle of one; the next invocation carries it on.
 */
@FunctionalInterface
public interface SendBudget {
    /** Never stops a send. */
    SendBudget UNLIMITED = lastChunk -> true;

    /**
     * Asked after each chunk but the last, once its acceptance is recorded.
     *
     * @param lastChunk how long the chunk just sent took
     * @return true to send the next chunk now, false to stop here
     */
    boolean anotherChunk(Duration lastChunk);

    /** Thrown from the chunk listener to stop a send between chunks; caught by the processor. */
    final class Spent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Spent() {
            super("no time for another chunk", null, false, false);
        }
    }
}
