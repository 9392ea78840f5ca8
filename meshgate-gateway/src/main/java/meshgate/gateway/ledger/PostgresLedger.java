package meshgate.gateway.ledger;

import static meshgate.gateway.ledger.LedgerRows.INBOUND_COLUMNS;
import static meshgate.gateway.ledger.LedgerRows.OUTBOUND_COLUMNS;
import static meshgate.gateway.ledger.LedgerRows.UPDATE_INBOUND;
import static meshgate.gateway.ledger.LedgerRows.UPDATE_OUTBOUND;
import static meshgate.gateway.ledger.LedgerRows.UPDATE_OUTBOUND_CLAIMED;
import static meshgate.gateway.ledger.LedgerRows.bindInboundUpdate;
import static meshgate.gateway.ledger.LedgerRows.bindClaimedOutboundUpdate;
import static meshgate.gateway.ledger.LedgerRows.bindOutboundUpdate;
import static meshgate.gateway.ledger.LedgerRows.first;
import static meshgate.gateway.ledger.LedgerRows.millis;
import static meshgate.gateway.ledger.LedgerRows.setInstant;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Ledger} in PostgreSQL, shared by several gateway nodes.
 *
 * <p>The schema is created and upgraded by Flyway from {@code db/migration/postgresql} when the ledger opens (Flyway
 * locks the database while it migrates, so nodes may start together); it also holds db-scheduler's
 * {@code scheduled_tasks} table. Every statement runs in auto-commit on a connection borrowed from the data source,
 * so the ledger may be used by many threads at once and a committed change is durable when the call returns.
 *
 * <p>Recording is idempotent across nodes: an insert that meets an existing row does nothing, and the row is then
 * read. Leases ({@link #claimOutbound}, {@link #renewOutbound}) are timed by the database's {@code now()}, never
 * by a node's clock, so nodes with skewed clocks agree on when a lease has run out; the {@link Clock} given to
 * {@code open} sets only {@code createdAt} and {@code updatedAt}.
 */
public final class PostgresLedger implements Ledger {
    private static final Logger log = LoggerFactory.getLogger(PostgresLedger.class);
    private static final String MIGRATIONS = "classpath:db/migration/postgresql";
    /** Code-point order, as the embedded ledger sorts, whatever the database's locale. */
    private static final String CODE_POINT_ORDER = " COLLATE \"C\"";
    /** A record another node made first is left as it is. */
    private static final String INSERT_INBOUND = LedgerRows.INSERT_INBOUND
            + " ON CONFLICT (mailbox, message_id) DO NOTHING";

    private final DataSource dataSource;
    private final Clock clock;
    private final String description;
    private final HikariDataSource ownedPool;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresLedger(DataSource dataSource, Clock clock, String description, HikariDataSource ownedPool) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.description = description;
        this.ownedPool = ownedPool;
        log.info("event=ledger.opened ledger={}", description);
    }

    /**
     * Opens the ledger in the database behind {@code dataSource}, migrating its schema. The data source stays the
     * caller's: closing the ledger leaves it open. It should pool connections when many threads use the ledger.
     */
    public static PostgresLedger open(DataSource dataSource, Clock clock) {
        String description = migrate(dataSource);
        return new PostgresLedger(dataSource, clock, description, null);
    }

    /**
     * Opens the ledger at a {@code jdbc:postgresql:} URL through a connection pool of its own, closed with the
     * ledger.
     */
    public static PostgresLedger open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("meshgate-ledger");
        config.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            String description = migrate(pool);
            return new PostgresLedger(pool, Clock.systemUTC(), description, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public OutboundRecord recordOutbound(String objectKey, long size, Instant lastModified) {
        Instant version = millis(lastModified);
        return connected("record outbound " + objectKey, connection -> {
            Optional<OutboundRecord> existing = LedgerRows.selectOutboundVersion(connection, objectKey, size, version);
            if (existing.isPresent()) {
                return existing.get();
            }
            Instant now = now();
            String sql = """
                    INSERT INTO outbound_message (object_key, size, last_modified, state, chunks_total,
                        chunks_accepted, chunk_size, compress, retryable, attempts, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 0, 0, 0, FALSE, FALSE, 0, ?, ?)
                    ON CONFLICT ON CONSTRAINT outbound_message_version DO NOTHING""";
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                insert.setString(1, objectKey);
                insert.setLong(2, size);
                setInstant(insert, 3, version);
                insert.setString(4, OutboundState.QUEUED.name());
                setInstant(insert, 5, now);
                setInstant(insert, 6, now);
                insert.executeUpdate();
            }
            return LedgerRows.selectOutboundVersion(connection, objectKey, size, version).orElseThrow();
        });
    }

    @Override
    public Optional<OutboundRecord> findOutbound(long id) {
        return connected("find outbound " + id, connection -> LedgerRows.selectOutbound(connection, id));
    }

    @Override
    public OutboundRecord updateOutbound(OutboundRecord record) {
        return connected("update outbound " + record.id(), connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    UPDATE_OUTBOUND + " RETURNING " + OUTBOUND_COLUMNS)) {
                bindOutboundUpdate(update, record, now());
                return first(update, LedgerRows::outboundRecord).orElseThrow(
                        () -> new IllegalArgumentException("no outbound record with id " + record.id()));
            }
        });
    }

    @Override
    public OutboundRecord updateOutbound(OutboundClaim claim, OutboundRecord record) {
        return updateClaimed(UPDATE_OUTBOUND_CLAIMED, claim, record);
    }

    @Override
    public OutboundRecord updateAndReleaseOutbound(OutboundClaim claim, OutboundRecord record) {
        return updateClaimed(LedgerRows.UPDATE_OUTBOUND_CLAIMED_RELEASING, claim, record);
    }

    private OutboundRecord updateClaimed(String sql, OutboundClaim claim, OutboundRecord record) {
        return connected("update outbound " + record.id() + " under claim " + claim.generation(), connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql + " RETURNING " + OUTBOUND_COLUMNS)) {
                bindClaimedOutboundUpdate(update, claim, record, now());
                Optional<OutboundRecord> updated = first(update, LedgerRows::outboundRecord);
                if (updated.isEmpty()) {
                    throw LedgerRows.claimedUpdateRefused(connection, claim);
                }
                return updated.get();
            }
        });
    }

    /** The records in any of {@code states}, oldest first; none when no state is given. */
    @Override
    public List<OutboundRecord> outbound(OutboundState... states) {
        return connected("list outbound", connection -> LedgerRows.selectOutbound(connection, states));
    }

    @Override
    public InboundRecord recordInbound(String mailbox, String messageId) {
        return connected("record inbound " + mailbox + "/" + messageId, connection -> LedgerRows.recordInbound(
                connection, INSERT_INBOUND, mailbox, messageId, now()));
    }

    @Override
    public InboundRecord startInbound(String mailbox, String messageId) {
        return connected("start downloading inbound " + mailbox + "/" + messageId, connection ->
                LedgerRows.startInbound(connection, INSERT_INBOUND, mailbox, messageId, now()));
    }

    @Override
    public Optional<InboundRecord> findInbound(String mailbox, String messageId) {
        return connected("find inbound " + mailbox + "/" + messageId,
                connection -> LedgerRows.selectInbound(connection, mailbox, messageId));
    }

    @Override
    public InboundRecord updateInbound(InboundRecord record) {
        return connected("update inbound " + record.mailbox() + "/" + record.messageId(), connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    UPDATE_INBOUND + " RETURNING " + INBOUND_COLUMNS)) {
                bindInboundUpdate(update, record, now());
                return first(update, LedgerRows::inboundRecord).orElseThrow(() -> new IllegalArgumentException(
                        "no inbound record for mailbox " + record.mailbox() + " message " + record.messageId()));
            }
        });
    }

    /** The records in any of {@code states}, oldest first; none when no state is given. */
    @Override
    public List<InboundRecord> inbound(InboundState... states) {
        return connected("list inbound", connection -> LedgerRows.selectInbound(connection, CODE_POINT_ORDER,
                states));
    }

    @Override
    public List<InboundRecord> inboundToFinish(String mailbox) {
        return connected("list inbound to finish", connection -> LedgerRows.selectInboundToFinish(connection,
                CODE_POINT_ORDER, mailbox));
    }

    /**
     * The lease runs for {@code lease} from the database's {@code now()}. The row is locked by the update, so of two
     * nodes claiming at once one gets the claim and the other sees it held.
     */
    @Override
    public Optional<OutboundClaim> claimOutbound(long id, String owner, Duration lease) {
        return connected("claim outbound " + id, connection -> {
            String sql = """
                    UPDATE outbound_message
                    SET lease_owner = ?, lease_until = now() + ? * INTERVAL '1 millisecond',
                        lease_generation = lease_generation + 1
                    WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < now())
                    RETURNING lease_generation""";
            try (PreparedStatement claim = connection.prepareStatement(sql)) {
                claim.setString(1, owner);
                claim.setLong(2, lease.toMillis());
                claim.setLong(3, id);
                claim.setString(4, owner);
                return first(claim, row -> new OutboundClaim(id, owner, row.getLong(1)));
            }
        });
    }

    @Override
    public boolean renewOutbound(OutboundClaim claim, Duration lease) {
        return connected("renew claim on outbound " + claim.recordId(), connection -> {
            String sql = """
                    UPDATE outbound_message SET lease_until = now() + ? * INTERVAL '1 millisecond'
                    WHERE id = ? AND lease_owner = ? AND lease_generation = ?""";
            try (PreparedStatement renew = connection.prepareStatement(sql)) {
                renew.setLong(1, lease.toMillis());
                renew.setLong(2, claim.recordId());
                renew.setString(3, claim.owner());
                renew.setLong(4, claim.generation());
                return renew.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Map<OutboundState, Long> countOutbound() {
        return connected("count outbound", connection -> LedgerRows.countByState(connection, "outbound_message",
                OutboundState.class));
    }

    @Override
    public Map<InboundState, Long> countInbound() {
        return connected("count inbound", connection -> LedgerRows.countByState(connection, "inbound_message",
                InboundState.class));
    }

    @Override
    public void releaseOutbound(OutboundClaim claim) {
        connected("release outbound " + claim.recordId(), connection -> LedgerRows.releaseOutbound(connection,
                claim));
    }

    @Override
    public List<OutboundEventsOwed> outboundEventsOwed() {
        return connected("list outbound events owed", LedgerRows::selectOutboundEventsOwed);
    }

    @Override
    public void outboundEventAnnounced(long id, OutboundState state) {
        connected("record outbound event " + id, connection -> {
            LedgerRows.announceOutboundEvent(connection, id, state);
            return null;
        });
    }

    @Override
    public void eventsDelivered(DeliveredEvents events) {
        if (events.isEmpty()) {
            return;
        }
        connected("record events delivered", connection -> {
            connection.setAutoCommit(false);
            try {
                LedgerRows.eventsDelivered(connection, events, now());
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            return null;
        });
    }

    @Override
    public void recordHandshake(String mailbox, Optional<String> failure) {
        connected("record handshake of " + mailbox, connection -> {
            LedgerRows.recordHandshake(connection, mailbox, now(), failure.orElse(null));
            return null;
        });
    }

    @Override
    public void recordPoll(String mailbox, int inboxCount) {
        connected("record poll of " + mailbox, connection -> {
            LedgerRows.recordPoll(connection, mailbox, now(), inboxCount);
            return null;
        });
    }

    @Override
    public void recordPollFailure(String mailbox, String reason) {
        connected("record failed poll of " + mailbox, connection -> {
            LedgerRows.recordPollFailure(connection, mailbox, now(), reason);
            return null;
        });
    }

    @Override
    public Optional<MailboxActivity> mailboxActivity(String mailbox) {
        return connected("read activity of " + mailbox,
                connection -> LedgerRows.selectMailboxActivity(connection, mailbox));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (ownedPool != null) {
                ownedPool.close();
            }
            log.info("event=ledger.closed ledger={}", description);
        }
    }

    @Override
    public String toString() {
        return "PostgresLedger[" + description + "]";
    }

    /** Brings the schema up to date; returns the database's URL without its parameters, to name the ledger. */
    private static String migrate(DataSource dataSource) {
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new LedgerException("cannot connect to the ledger database", e);
        }
        String description = url == null ? "postgresql" : url.replaceFirst("\\?.*", "");
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new LedgerException("cannot migrate the schema of ledger " + description, e);
        }
        return description;
    }

    private <T> T connected(String what, Work<T> work) {
        if (closed.get()) {
            throw new IllegalStateException("ledger " + description + " is closed");
        }
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return work.run(connection);
        } catch (SQLException e) {
            throw new LedgerException("cannot " + what + " in ledger " + description, e);
        }
    }

    private Instant now() {
        return millis(clock.instant());
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
