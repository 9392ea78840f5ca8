package meshgate.gateway.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import meshgate.client.MeshTls;

/**
 * Where a PEM certificate, key or CA bundle comes from: a file named by the setting, or a value from any secret
 * source (written in the settings, an environment variable, a file, SSM Parameter Store, Secrets Manager), as the
 * Terraform MESH module keeps them. {@link #toString} names the source, never the content.
 */
public record PemSource(Optional<Path> file, Optional<Secret> value) {
    public PemSource {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(value, "value");
        if (file.isPresent() == value.isPresent()) {
            throw new IllegalArgumentException("give a file or a value");
        }
    }

    public static PemSource file(Path path) {
        return new PemSource(Optional.of(path), Optional.empty());
    }

    public static PemSource value(Secret secret) {
        return new PemSource(Optional.empty(), Optional.of(secret));
    }

    /** {@code /path/client.pem} for a file, else the secret's source ({@code env NAME}, {@code ssm /a/b}, ...). */
    public String source() {
        return file.map(Path::toString).orElseGet(() -> value.get().source());
    }

    /** The PEM text, read now; its source goes with it so that errors can say where it came from. */
    MeshTls.PemText read() {
        return file.map(MeshTls.PemText::read)
                .orElseGet(() -> new MeshTls.PemText(value.get().reveal(), value.get().source()));
    }

    @Override
    public String toString() {
        return source();
    }
}
