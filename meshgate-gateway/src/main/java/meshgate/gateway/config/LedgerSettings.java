package meshgate.gateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the gateway records what it has sent and received. {@code type} is {@code embedded} (an H2 database whose
 * files start with {@code path}); {@code postgresql} is reserved.
 */
public record LedgerSettings(String type, Path path) {
    public static final String EMBEDDED = "embedded";

    public LedgerSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
    }
}
