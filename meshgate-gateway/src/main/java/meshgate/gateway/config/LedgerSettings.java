package meshgate.gateway.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway records what it has sent and received: {@code embedded}, an H2 database whose files start with
 * {@code path}, for one node; {@code postgresql}, shared by several gateway nodes ({@code postgres} holds the
 * connection); or a type added by a {@link meshgate.gateway.ledger.LedgerProvider} (such as {@code dynamodb}),
 * whose settings are {@code provided} and whose secret settings are {@code providedSecrets}.
 */
public record LedgerSettings(String type, Path path, Optional<PostgresSettings> postgres,
        Map<String, String> provided, Map<String, Secret> providedSecrets) {
    public static final String EMBEDDED = "embedded";
    public static final String POSTGRESQL = "postgresql";

    public LedgerSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(postgres, "postgres");
        provided = Map.copyOf(provided);
        providedSecrets = Map.copyOf(providedSecrets);
    }

    public LedgerSettings(String type, Path path, Optional<PostgresSettings> postgres) {
        this(type, path, postgres, Map.of(), Map.of());
    }

    public LedgerSettings(String type, Path path) {
        this(type, path, Optional.empty());
    }

    /** True when a {@link meshgate.gateway.ledger.LedgerProvider} opens this ledger. */
    public boolean isProvided() {
        return !type.equals(EMBEDDED) && !type.equals(POSTGRESQL);
    }

    /** The provided settings with their secrets revealed, for the provider only; never log them. */
    public Map<String, String> providedWithSecrets() {
        Map<String, String> all = new java.util.HashMap<>(provided);
        providedSecrets.forEach((name, secret) -> all.put(name, secret.reveal()));
        return Map.copyOf(all);
    }

    @Override
    public String toString() {
        return "LedgerSettings[type=" + type + ", path=" + path + ", postgres=" + postgres + ", provided=" + provided
                + ", providedSecrets=" + providedSecrets.keySet() + "]";
    }

    /** A PostgreSQL database, by JDBC URL, e.g. {@code jdbc:postgresql://db:5432/meshgate}. */
    public record PostgresSettings(String jdbcUrl, String user, Optional<Secret> password) {
        @Override
        public String toString() {
            return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
        }
    }
}
