package meshgate.gateway.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.Optional;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.LedgerSettings;

/**
 * The ledger that {@code ledger:} names, opened as the gateway opens it: the embedded one, PostgreSQL through a
 * connection pool, or one a {@link LedgerProvider} on the class path opens (DynamoDB). Besides the gateway, the
 * meshgate commands that read and mend its records (status, messages, retry) open it this way. Closing it closes the
 * ledger, then the pool.
 */
public final class OpenLedger implements AutoCloseable {
    private final Ledger ledger;
    private final Optional<HikariDataSource> pool;
    private final Optional<LedgerProvider> provider;

    private OpenLedger(Ledger ledger, Optional<HikariDataSource> pool, Optional<LedgerProvider> provider) {
        this.ledger = ledger;
        this.pool = pool;
        this.provider = provider;
    }

    /** Opens the ledger of {@code settings}; {@code clock} sets its records' times. */
    public static OpenLedger open(LedgerSettings settings, Clock clock) {
        if (settings.isProvided()) {
            LedgerProvider provider = LedgerProvider.of(settings.type()).orElseThrow(() -> new ConfigException(
                    "ledger.type: no provider of " + settings.type() + " on the class path"));
            return new OpenLedger(provider.open(settings.providedWithSecrets(), clock), Optional.empty(),
                    Optional.of(provider));
        }
        if (settings.postgres().isEmpty()) {
            return new OpenLedger(H2Ledger.open(settings.path(), clock), Optional.empty(), Optional.empty());
        }
        HikariDataSource pool = pool(settings.postgres().get());
        try {
            return new OpenLedger(PostgresLedger.open(pool, clock), Optional.of(pool), Optional.empty());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    public Ledger ledger() {
        return ledger;
    }

    /** The PostgreSQL pool the ledger uses, which the cluster's jobs share; empty for the other ledgers. */
    public Optional<HikariDataSource> pool() {
        return pool;
    }

    /** The provider that opened the ledger, which also runs the cluster's jobs; empty for the built-in ledgers. */
    public Optional<LedgerProvider> provider() {
        return provider;
    }

    @Override
    public void close() {
        try {
            ledger.close();
        } finally {
            pool.ifPresent(HikariDataSource::close);
        }
    }

    private static HikariDataSource pool(LedgerSettings.PostgresSettings postgres) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(postgres.jdbcUrl());
        hikari.setUsername(postgres.user());
        postgres.password().ifPresent(p -> hikari.setPassword(p.reveal()));
        hikari.setMaximumPoolSize(16);
        hikari.setPoolName("meshgate-ledger");
        return new HikariDataSource(hikari);
    }
}
