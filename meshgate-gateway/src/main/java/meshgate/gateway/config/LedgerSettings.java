package meshgate.gateway.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway records what it has sent and received: {@code embedded}, an H2 database whose files start with
 * {@code path}, for one node; or {@code postgresql}, shared by several gateway nodes ({@code postgres} holds the
 * connection).
 */
public record LedgerSettings(String type, Path path, Optional<PostgresSettings> postgres) {
    public static final String EMBEDDED = "embedded";
    public static final String POSTGRESQL = "postgresql";

    public LedgerSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(postgres, "postgres");
    }

    public LedgerSettings(String type, Path path) {
        this(type, path, Optional.empty());
    }

    /** A PostgreSQL database, by JDBC URL, e.g. {@code jdbc:postgresql://db:5432/meshgate}. */
    public record PostgresSettings(String jdbcUrl, String user, Optional<Secret> password) {
        @Override
        public String toString() {
            return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
        }
    }
}
