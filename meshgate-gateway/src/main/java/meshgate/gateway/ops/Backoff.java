package meshgate.gateway.ops;

import java.time.Duration;

/**
 * How long to wait before trying again something of the gateway's own that failed (a paused mailbox's handshake, an
 * event delivery): {@code first} after one failed try, doubling with each further one, at most {@code max}.
 */
public record Backoff(Duration first, Duration max) {
    public Duration after(int failedTries) {
        // Past 2^20 times the first wait, any sensible maximum has long been reached.
        Duration wait = first.multipliedBy(1L << Math.min(failedTries - 1, 20));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
