package meshgate.dps.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import meshgate.dps.record.CsvFileSource;
import meshgate.dps.record.JdbcTableSource;
import meshgate.dps.record.JsonFileSource;
import meshgate.dps.record.VaccinationRecordSource;
import meshgate.gateway.config.Secret;

/**
 * Where the records come from: {@code csv} or {@code json} with a file {@code path}, or {@code jdbc} with a
 * {@code url}, {@code table} and optional {@code user} and {@code password}.
 */
public record SourceSettings(String type, Optional<Path> path, Optional<String> url, Optional<String> table,
        Optional<String> user, Optional<Secret> password) {
    public SourceSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    public VaccinationRecordSource open() {
        return switch (type) {
            case "csv" -> new CsvFileSource(path.orElseThrow());
            case "json" -> new JsonFileSource(path.orElseThrow());
            case "jdbc" -> new JdbcTableSource(url.orElseThrow(), user.orElse(""), password.orElse(null),
                    table.orElseThrow());
            default -> throw new IllegalStateException("unknown source type " + type);
        };
    }
}
