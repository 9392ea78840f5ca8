package meshgate.gateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A password, key or passphrase, and where it comes from: written in the configuration, an environment variable, a
 * file, or a store that a {@link SettingsSource} reads (SSM Parameter Store, Secrets Manager). Environment variables
 * and files are read each time the value is revealed; a store's value is read once, when the settings are loaded. {@link #toString} never shows
 * the value; {@link #source} says where it comes from without it.
 */
public final class Secret {
    /** Far larger than any MESH password or key passphrase; stops a wrong path from being read whole. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private enum Kind { LITERAL, ENV, FILE, STORE }

    private final Kind kind;
    private final String reference;
    private final Map<String, String> environment;
    /** A store's value, read when the settings were loaded; null for the other kinds. */
    private final String stored;

    private Secret(Kind kind, String reference, Map<String, String> environment) {
        this(kind, reference, environment, null);
    }

    private Secret(Kind kind, String reference, Map<String, String> environment, String stored) {
        this.kind = kind;
        this.reference = Objects.requireNonNull(reference);
        this.environment = environment;
        this.stored = stored;
    }

    public static Secret literal(String value) {
        return new Secret(Kind.LITERAL, value, null);
    }

    /** The value of environment variable {@code name} of this process. */
    public static Secret env(String name) {
        return env(name, System.getenv());
    }

    static Secret env(String name, Map<String, String> environment) {
        return new Secret(Kind.ENV, name, Objects.requireNonNull(environment));
    }

    /** The content of a file, without its trailing line break. */
    public static Secret file(Path path) {
        return new Secret(Kind.FILE, path.toAbsolutePath().normalize().toString(), null);
    }

    /**
     * A value read from a store, with where it came from ({@code source}, such as {@code ssm /prod-mesh/mesh/X}),
     * which is all that {@link #source} and errors show.
     */
    static Secret stored(String source, String value) {
        return new Secret(Kind.STORE, source, null, Objects.requireNonNull(value));
    }

    /** The value. Throws {@link ConfigException} when the variable is unset or the file cannot be read. */
    public String reveal() {
        return switch (kind) {
            case LITERAL -> reference;
            case ENV -> {
                String value = environment.get(reference);
                if (value == null) {
                    throw new ConfigException("environment variable " + reference + " is not set");
                }
                yield value;
            }
            case FILE -> readFile(Path.of(reference));
            case STORE -> stored;
        };
    }

    /** Where the value comes from: {@code literal}, {@code env NAME}, {@code file /path} or a store's reference. */
    public String source() {
        return switch (kind) {
            case LITERAL -> "literal";
            case ENV -> "env " + reference;
            case FILE -> "file " + reference;
            case STORE -> reference;
        };
    }

    private static String readFile(Path path) {
        try {
            if (!Files.isRegularFile(path)) {
                throw new ConfigException("secret file " + path + " does not exist");
            }
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new ConfigException("secret file " + path + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            String text = Files.readString(path, StandardCharsets.UTF_8);
            int end = text.length();
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            return text.substring(0, end);
        } catch (IOException e) {
            throw new ConfigException("cannot read secret file " + path + ": " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && kind == that.kind && reference.equals(that.reference);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, reference);
    }

    @Override
    public String toString() {
        return "***";
    }
}
