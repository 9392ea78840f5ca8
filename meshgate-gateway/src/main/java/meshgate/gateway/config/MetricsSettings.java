package meshgate.gateway.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the Prometheus scrape endpoint ({@code /metrics}) and the health check ({@code /health}) listen; none when
 * {@code metrics.port} is not set.
 */
public record MetricsSettings(Optional<InetSocketAddress> address) {
    public MetricsSettings {
        Objects.requireNonNull(address, "address");
    }

    public static MetricsSettings off() {
        return new MetricsSettings(Optional.empty());
    }
}
