package meshgate.gateway.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway's files live: {@code local}, a folder at {@code root}; or {@code s3}, a bucket (then {@code root}
 * is only where local working files go, and {@code s3} holds the bucket's settings). A local folder's files are
 * readable by their owner only, or also by the owner's group when {@code groupReadable}.
 */
public record StoreSettings(String type, Path root, Optional<S3Settings> s3, boolean groupReadable) {
    public static final String LOCAL = "local";
    public static final String S3 = "s3";

    public StoreSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(s3, "s3");
    }

    public StoreSettings(String type, Path root, Optional<S3Settings> s3) {
        this(type, root, s3, false);
    }

    public StoreSettings(String type, Path root) {
        this(type, root, Optional.empty());
    }

    /**
     * An S3 bucket, on AWS or any S3-API server ({@code endpoint}, usually with {@code pathStyle}). Without keys, the
     * AWS SDK's default credential chain is used (environment, profile, instance or task role).
     */
    public record S3Settings(String bucket, Optional<String> region, Optional<java.net.URI> endpoint,
            boolean pathStyle, Optional<Secret> accessKeyId, Optional<Secret> secretAccessKey, int partSize) {
        @Override
        public String toString() {
            return "S3Settings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", pathStyle="
                    + pathStyle + ", partSize=" + partSize + "]";
        }
    }
}
