package meshgate.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how long a failed call is tried again: exponential backoff from {@code initialBackoff}, doubling up
 * to {@code maxBackoff}, with jitter (each wait drawn between half and all of its ceiling), for at most {@code maxAttempts} attempts and {@code maxElapsed} in all.
 * Only failures that can be helped by waiting are retried: connection errors, HTTP 429 and 5xx.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxElapsed) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxElapsed, "maxElapsed");
    }

    /** 6 attempts, 500 ms doubling to 20 s, at most 3 minutes: rides out a MESH restart or a throttle. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofMinutes(3));
    }

    /** No retries: the first failure is final. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The longest a call under this policy can take when one attempt takes at most {@code attempt}: retries begin
     * only while {@code maxElapsed} has not passed, so the worst case is that much, then one more wait and attempt.
     */
    public Duration longestCall(Duration attempt) {
        return maxElapsed.plus(longestLastWait()).plus(attempt);
    }

    /**
     * The longest wait before a last retry. Each wait is at least half its ceiling and the ceilings double, so the
     * waits already made add up to at least half the next ceiling less {@code initialBackoff}; a ceiling is therefore
     * below {@code 2 * maxElapsed + initialBackoff} while retries go on. A 429 waits at least a second.
     */
    Duration longestLastWait() {
        if (maxAttempts < 2) {
            return Duration.ZERO;
        }
        long ceiling = Math.min(backoffCeiling(maxAttempts - 1).toMillis(),
                2 * maxElapsed.toMillis() + initialBackoff.toMillis());
        long throttled = Math.min(1000, maxBackoff.toMillis());
        return Duration.ofMillis(Math.max(ceiling, throttled));
    }

    /** The backoff ceiling before attempt {@code attempt + 1} (attempt counts from 1). */
    Duration backoffCeiling(int attempt) {
        long base = initialBackoff.toMillis();
        long ceiling = base << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(Math.max(ceiling, 0), maxBackoff.toMillis()));
    }
}
