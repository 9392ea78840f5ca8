package meshgate.gateway.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the Prometheus scrape endpoint ({@code /metrics}) and the health check ({@code /health}) listen; none when
 * {@code metrics.port} is not set. With a {@code token}, requests must carry {@code Authorization: Bearer TOKEN}.
 */
public record MetricsSettings(Optional<InetSocketAddress> address, Optional<Secret> token) {
    public MetricsSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(token, "token");
    }

    public MetricsSettings(Optional<InetSocketAddress> address) {
        this(address, Optional.empty());
    }

    public static MetricsSettings off() {
        return new MetricsSettings(Optional.empty());
    }

    /** The metrics server's options: the default read timeout and the token, if any. */
    public meshgate.gateway.metrics.MetricsServer.Options serverOptions() {
        return new meshgate.gateway.metrics.MetricsServer.Options(
                meshgate.gateway.metrics.MetricsServer.Options.DEFAULT_READ_TIMEOUT, token.map(Secret::reveal));
    }
}
