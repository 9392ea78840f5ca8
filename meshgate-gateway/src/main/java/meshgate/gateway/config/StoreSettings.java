package meshgate.gateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the gateway's files live. {@code type} is {@code local} (a folder at {@code root}); {@code s3} is reserved.
 */
public record StoreSettings(String type, Path root) {
    public static final String LOCAL = "local";

    public StoreSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(root, "root");
    }
}
