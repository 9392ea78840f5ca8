package meshgate.gateway.config;

import java.time.Duration;
import java.util.Objects;
import meshgate.client.MeshClient;
import meshgate.client.RetryPolicy;

/**
 * How long the gateway's MESH clients wait: to connect, for each read of an answer, and for retries of a failed call
 * in all. Together they bound one call ({@link #callBudget}), which the outbound lease must outlast.
 */
public record MeshTimeouts(Duration connectTimeout, Duration readTimeout, Duration retryMaxElapsed) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_RETRY_MAX_ELAPSED = RetryPolicy.defaults().maxElapsed();

    public MeshTimeouts {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(retryMaxElapsed, "retryMaxElapsed");
    }

    public static MeshTimeouts defaults() {
        return new MeshTimeouts(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_RETRY_MAX_ELAPSED);
    }

    /** The client's default retry policy, retrying for {@link #retryMaxElapsed} in all. */
    public RetryPolicy retryPolicy() {
        RetryPolicy defaults = RetryPolicy.defaults();
        return new RetryPolicy(defaults.maxAttempts(), defaults.initialBackoff(), defaults.maxBackoff(),
                retryMaxElapsed);
    }

    /** The longest one MESH call can take with these settings, retries included. */
    public Duration callBudget() {
        return MeshClient.callBudget(retryPolicy(), connectTimeout, readTimeout);
    }

    /** Applies these settings to a client being built. */
    public MeshClient.Builder applyTo(MeshClient.Builder builder) {
        return builder.connectTimeout(connectTimeout).readTimeout(readTimeout).retryPolicy(retryPolicy());
    }
}
