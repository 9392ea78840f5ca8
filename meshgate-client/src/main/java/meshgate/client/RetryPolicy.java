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

    /** The backoff ceiling before attempt {@code attempt + 1} (attempt counts from 1). */
    Duration backoffCeiling(int attempt) {
        long base = initialBackoff.toMillis();
        long ceiling = base << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(Math.max(ceiling, 0), maxBackoff.toMillis()));
    }
}
