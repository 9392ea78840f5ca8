package meshgate.gateway.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The columns both SQL ledgers share, and how their rows become records. Instants are kept to the millisecond. */
final class LedgerRows {
    static final String OUTBOUND_COLUMNS = """
            id, object_key, size, last_modified, state, sender, recipient, workflow_id, local_id, mesh_message_id,
            chunks_total, chunks_accepted, chunk_size, compress, tracking_status, reason, retryable, attempts,
            sent_key, created_at, updated_at, started_at, accepted_at""";

    static final String INBOUND_COLUMNS = """
            mailbox, message_id, state, message_type, sender, workflow_id, object_key, size, event_emitted, reason,
            attempts, created_at, updated_at""";

    private static final String OUTBOUND_ASSIGNMENTS = """
            UPDATE outbound_message SET
                object_key = ?, size = ?, last_modified = ?, state = ?, sender = ?, recipient = ?,
                workflow_id = ?, local_id = ?, mesh_message_id = ?, chunks_total = ?, chunks_accepted = ?,
                chunk_size = ?, compress = ?, tracking_status = ?, reason = ?, retryable = ?, attempts = ?,
                sent_key = ?, created_at = ?, updated_at = ?, started_at = ?, accepted_at = ?""";
    private static final String WHERE_CLAIM_HELD = " WHERE id = ? AND lease_owner = ? AND lease_generation = ?";

    static final String UPDATE_OUTBOUND = OUTBOUND_ASSIGNMENTS + " WHERE id = ?";

    /** {@link #UPDATE_OUTBOUND}, made only if the claim named is still the record's current one. */
    static final String UPDATE_OUTBOUND_CLAIMED = OUTBOUND_ASSIGNMENTS + WHERE_CLAIM_HELD;

    /** {@link #UPDATE_OUTBOUND_CLAIMED} that also gives the claim up; bound the same way. */
    static final String UPDATE_OUTBOUND_CLAIMED_RELEASING = OUTBOUND_ASSIGNMENTS
            + ", lease_owner = NULL, lease_until = NULL" + WHERE_CLAIM_HELD;

    /** A new inbound record; PostgreSQL's ledger adds that a conflict does nothing. */
    static final String INSERT_INBOUND = """
            INSERT INTO inbound_message (mailbox, message_id, state, size, event_emitted, attempts,
                created_at, updated_at)
            VALUES (?, ?, ?, 0, FALSE, ?, ?, ?)""";
    /** Unique key violated: another connection made the row first (the same SQLSTATE in H2 and PostgreSQL). */
    static final String DUPLICATE_KEY = "23505";

    static final String UPDATE_INBOUND = """
            UPDATE inbound_message SET
                state = ?, message_type = ?, sender = ?, workflow_id = ?, object_key = ?, size = ?,
                event_emitted = ?, reason = ?, attempts = ?, created_at = ?, updated_at = ?
            WHERE mailbox = ? AND message_id = ?""";

    private LedgerRows() {
    }

    /** Binds {@link #UPDATE_OUTBOUND}'s parameters. */
    static void bindOutboundUpdate(PreparedStatement update, OutboundRecord record, Instant now) throws SQLException {
        update.setString(1, record.objectKey());
        update.setLong(2, record.size());
        setInstant(update, 3, record.lastModified());
        update.setString(4, record.state().name());
        update.setString(5, record.sender());
        update.setString(6, record.recipient());
        update.setString(7, record.workflowId());
        update.setString(8, record.localId());
        update.setString(9, record.meshMessageId());
        update.setInt(10, record.chunksTotal());
        update.setInt(11, record.chunksAccepted());
        update.setInt(12, record.chunkSize());
        update.setBoolean(13, record.compress());
        update.setString(14, record.trackingStatus());
        update.setString(15, record.reason());
        update.setBoolean(16, record.retryable());
        update.setInt(17, record.attempts());
        update.setString(18, record.sentKey());
        setInstant(update, 19, record.createdAt());
        setInstant(update, 20, now);
        setInstant(update, 21, record.startedAt());
        setInstant(update, 22, record.acceptedAt());
        update.setLong(23, record.id());
    }

    /** Binds {@link #UPDATE_OUTBOUND_CLAIMED}'s parameters; the record must be the one claimed. */
    static void bindClaimedOutboundUpdate(PreparedStatement update, OutboundClaim claim, OutboundRecord record,
            Instant now) throws SQLException {
        if (claim.recordId() != record.id()) {
            throw new IllegalArgumentException("claim " + claim + " is not on outbound record " + record.id());
        }
        bindOutboundUpdate(update, record, now);
        update.setString(24, claim.owner());
        update.setLong(25, claim.generation());
    }

    /**
     * Why a claimed update changed no row: the record is missing ({@link IllegalArgumentException}), or the claim is
     * no longer its current one ({@link StaleClaimException}).
     */
    static RuntimeException claimedUpdateRefused(Connection connection, OutboundClaim claim) throws SQLException {
        if (selectOutbound(connection, claim.recordId()).isEmpty()) {
            return new IllegalArgumentException("no outbound record with id " + claim.recordId());
        }
        return new StaleClaimException(claim);
    }

    /** Binds {@link #UPDATE_INBOUND}'s parameters. */
    static void bindInboundUpdate(PreparedStatement update, InboundRecord record, Instant now) throws SQLException {
        update.setString(1, record.state().name());
        update.setString(2, record.messageType());
        update.setString(3, record.sender());
        update.setString(4, record.workflowId());
        update.setString(5, record.objectKey());
        update.setLong(6, record.size());
        update.setBoolean(7, record.eventEmitted());
        update.setString(8, record.reason());
        update.setInt(9, record.attempts());
        setInstant(update, 10, record.createdAt());
        setInstant(update, 11, now);
        update.setString(12, record.mailbox());
        update.setString(13, record.messageId());
    }

    /**
     * The inbound record of a message, made {@code LISTED} if there is none yet; {@code insert} is the ledger's
     * {@link #INSERT_INBOUND}.
     */
    static InboundRecord recordInbound(Connection connection, String insert, String mailbox, String messageId,
            Instant now) throws SQLException {
        Optional<InboundRecord> existing = selectInbound(connection, mailbox, messageId);
        if (existing.isEmpty()) {
            insertInbound(connection, insert, mailbox, messageId, InboundState.LISTED, 0, now);
        }
        return existing.isPresent() ? existing.get() : selectInbound(connection, mailbox, messageId).orElseThrow();
    }

    /**
     * {@link Ledger#startInbound}: one write, an insert of the record at its first attempt or an update of one still
     * to download; in auto-commit, one commit.
     */
    static InboundRecord startInbound(Connection connection, String insert, String mailbox, String messageId,
            Instant now) throws SQLException {
        Optional<InboundRecord> existing = selectInbound(connection, mailbox, messageId);
        if (existing.isEmpty()
                && insertInbound(connection, insert, mailbox, messageId, InboundState.DOWNLOADING, 1, now)) {
            return selectInbound(connection, mailbox, messageId).orElseThrow();
        }
        InboundRecord record = existing.isPresent() ? existing.get()
                : selectInbound(connection, mailbox, messageId).orElseThrow();
        if (!record.state().toDownload()) {
            return record;
        }
        String sql = "UPDATE inbound_message SET state = ?, reason = NULL, attempts = attempts + 1, updated_at = ?"
                + " WHERE mailbox = ? AND message_id = ? AND state IN (?, ?, ?)";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, InboundState.DOWNLOADING.name());
            setInstant(update, 2, now);
            update.setString(3, mailbox);
            update.setString(4, messageId);
            update.setString(5, InboundState.LISTED.name());
            update.setString(6, InboundState.DOWNLOADING.name());
            update.setString(7, InboundState.FAILED.name());
            update.executeUpdate();
        }
        return selectInbound(connection, mailbox, messageId).orElseThrow();
    }

    /** Inserts an inbound record; false when another connection made it first. */
    private static boolean insertInbound(Connection connection, String sql, String mailbox, String messageId,
            InboundState state, int attempts, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, mailbox);
            insert.setString(2, messageId);
            insert.setString(3, state.name());
            insert.setInt(4, attempts);
            setInstant(insert, 5, now);
            setInstant(insert, 6, now);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** {@link Ledger#eventsDelivered}: a batch of updates of each table, in the caller's transaction. */
    static void eventsDelivered(Connection connection, DeliveredEvents events, Instant now) throws SQLException {
        if (!events.received().isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE inbound_message"
                    + " SET event_emitted = TRUE, updated_at = ? WHERE mailbox = ? AND message_id = ?")) {
                for (DeliveredEvents.Received received : events.received()) {
                    setInstant(update, 1, now);
                    update.setString(2, received.mailbox());
                    update.setString(3, received.messageId());
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
        if (!events.sent().isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement(ANNOUNCE_OUTBOUND_EVENT)) {
                for (DeliveredEvents.Sent sent : events.sent()) {
                    update.setString(1, sent.state().name());
                    update.setLong(2, sent.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
    }

    /** The outbound record with this id. */
    static Optional<OutboundRecord> selectOutbound(Connection connection, long id) throws SQLException {
        String sql = "SELECT " + OUTBOUND_COLUMNS + " FROM outbound_message WHERE id = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, id);
            return first(select, LedgerRows::outboundRecord);
        }
    }

    /** The outbound record of this version of an object (key, size and modification time). */
    static Optional<OutboundRecord> selectOutboundVersion(Connection connection, String objectKey, long size,
            Instant lastModified) throws SQLException {
        String sql = "SELECT " + OUTBOUND_COLUMNS + " FROM outbound_message"
                + " WHERE object_key = ? AND size = ? AND last_modified = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, objectKey);
            select.setLong(2, size);
            setInstant(select, 3, lastModified);
            return first(select, LedgerRows::outboundRecord);
        }
    }

    /** The inbound record of this message in this mailbox. */
    static Optional<InboundRecord> selectInbound(Connection connection, String mailbox, String messageId)
            throws SQLException {
        String sql = "SELECT " + INBOUND_COLUMNS + " FROM inbound_message WHERE mailbox = ? AND message_id = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, mailbox);
            select.setString(2, messageId);
            return first(select, LedgerRows::inboundRecord);
        }
    }

    /** The outbound records in these states, oldest first. */
    static List<OutboundRecord> selectOutbound(Connection connection, OutboundState... states) throws SQLException {
        if (states.length == 0) {
            return List.of();
        }
        String sql = "SELECT " + OUTBOUND_COLUMNS + " FROM outbound_message WHERE state IN ("
                + placeholders(states.length) + ") ORDER BY id";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < states.length; i++) {
                select.setString(i + 1, states[i].name());
            }
            return all(select, LedgerRows::outboundRecord);
        }
    }

    /**
     * The inbound records in these states, oldest first, then by message id and mailbox in code-point order;
     * {@code collate} is what the SQL dialect needs after a text column for that order ({@code ""} where it is
     * the default).
     */
    static List<InboundRecord> selectInbound(Connection connection, String collate, InboundState... states)
            throws SQLException {
        if (states.length == 0) {
            return List.of();
        }
        String sql = "SELECT " + INBOUND_COLUMNS + " FROM inbound_message WHERE state IN ("
                + placeholders(states.length) + ") ORDER BY created_at, message_id" + collate + ", mailbox" + collate;
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < states.length; i++) {
                select.setString(i + 1, states[i].name());
            }
            return all(select, LedgerRows::inboundRecord);
        }
    }

    /** A mailbox's records stored but not acknowledged, or acknowledged before their event went out, oldest first. */
    static List<InboundRecord> selectInboundToFinish(Connection connection, String collate, String mailbox)
            throws SQLException {
        String sql = "SELECT " + INBOUND_COLUMNS + " FROM inbound_message WHERE mailbox = ?"
                + " AND (state = ? OR (state = ? AND event_emitted = FALSE))"
                + " ORDER BY created_at, message_id" + collate;
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, mailbox);
            select.setString(2, InboundState.STORED.name());
            select.setString(3, InboundState.ACKNOWLEDGED.name());
            return all(select, LedgerRows::inboundRecord);
        }
    }

    /**
     * Accepted records (with a message id) whose state is ahead of the state last announced; {@code event_state} is
     * written by {@link #announceOutboundEvent} alone, never by a record update.
     */
    static List<OutboundEventsOwed> selectOutboundEventsOwed(Connection connection) throws SQLException {
        String sql = "SELECT " + OUTBOUND_COLUMNS + ", event_state FROM outbound_message WHERE state IN ("
                + placeholders(OutboundEventsOwed.ANNOUNCED_STATES.size()) + ") AND mesh_message_id IS NOT NULL"
                + " AND (event_state IS NULL OR event_state <> state) ORDER BY id";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int index = 1;
            for (OutboundState state : OutboundEventsOwed.ANNOUNCED_STATES) {
                select.setString(index++, state.name());
            }
            return all(select, row -> new OutboundEventsOwed(outboundRecord(row),
                    java.util.Optional.ofNullable(row.getString("event_state")).map(OutboundState::valueOf)));
        }
    }

    private static final String ANNOUNCE_OUTBOUND_EVENT = "UPDATE outbound_message SET event_state = ? WHERE id = ?";

    static void announceOutboundEvent(Connection connection, long id, OutboundState state) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(ANNOUNCE_OUTBOUND_EVENT)) {
            update.setString(1, state.name());
            update.setLong(2, id);
            update.executeUpdate();
        }
    }

    /** Records per state in {@code table}, for every constant of {@code states}. */
    static <S extends Enum<S>> Map<S, Long> countByState(Connection connection, String table, Class<S> states)
            throws SQLException {
        Map<S, Long> counts = new EnumMap<>(states);
        for (S state : states.getEnumConstants()) {
            counts.put(state, 0L);
        }
        String sql = "SELECT state, COUNT(*) AS records FROM " + table + " GROUP BY state";
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                counts.put(Enum.valueOf(states, rows.getString("state")), rows.getLong("records"));
            }
        }
        return counts;
    }

    /** Gives up a claim if it is still the record's current one; returns how many rows changed. */
    static int releaseOutbound(Connection connection, OutboundClaim claim) throws SQLException {
        String sql = "UPDATE outbound_message SET lease_owner = NULL, lease_until = NULL"
                + " WHERE id = ? AND lease_owner = ? AND lease_generation = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setLong(1, claim.recordId());
            update.setString(2, claim.owner());
            update.setLong(3, claim.generation());
            return update.executeUpdate();
        }
    }

    static OutboundRecord outboundRecord(ResultSet row) throws SQLException {
        return new OutboundRecord(
                row.getLong("id"),
                row.getString("object_key"),
                row.getLong("size"),
                instant(row, "last_modified"),
                OutboundState.valueOf(row.getString("state")),
                row.getString("sender"),
                row.getString("recipient"),
                row.getString("workflow_id"),
                row.getString("local_id"),
                row.getString("mesh_message_id"),
                row.getInt("chunks_total"),
                row.getInt("chunks_accepted"),
                row.getInt("chunk_size"),
                row.getBoolean("compress"),
                row.getString("tracking_status"),
                row.getString("reason"),
                row.getBoolean("retryable"),
                row.getInt("attempts"),
                row.getString("sent_key"),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                instant(row, "started_at"),
                instant(row, "accepted_at"));
    }

    static InboundRecord inboundRecord(ResultSet row) throws SQLException {
        return new InboundRecord(
                row.getString("mailbox"),
                row.getString("message_id"),
                InboundState.valueOf(row.getString("state")),
                row.getString("message_type"),
                row.getString("sender"),
                row.getString("workflow_id"),
                row.getString("object_key"),
                row.getLong("size"),
                row.getBoolean("event_emitted"),
                row.getString("reason"),
                row.getInt("attempts"),
                instant(row, "created_at"),
                instant(row, "updated_at"));
    }

    /** The table of {@link MailboxActivity}, one row a mailbox, made by the mailbox's first handshake or poll. */
    static final String MAILBOX_ACTIVITY_TABLE = """
            CREATE TABLE IF NOT EXISTS mailbox_activity (
                mailbox VARCHAR(255) NOT NULL PRIMARY KEY,
                handshake_at TIMESTAMP(3) WITH TIME ZONE,
                handshake_failure VARCHAR(100000),
                polled_at TIMESTAMP(3) WITH TIME ZONE,
                inbox_count INT NOT NULL,
                poll_failure VARCHAR(100000),
                poll_failed_at TIMESTAMP(3) WITH TIME ZONE
            )""";

    static void recordHandshake(Connection connection, String mailbox, Instant now, String failure)
            throws SQLException {
        updateMailbox(connection, mailbox, "handshake_at = ?, handshake_failure = ?", update -> {
            setInstant(update, 1, now);
            update.setString(2, failure);
            return 3;
        });
    }

    static void recordPoll(Connection connection, String mailbox, Instant now, int inboxCount) throws SQLException {
        updateMailbox(connection, mailbox, "polled_at = ?, inbox_count = ?, poll_failure = NULL, poll_failed_at = NULL",
                update -> {
                    setInstant(update, 1, now);
                    update.setInt(2, inboxCount);
                    return 3;
                });
    }

    static void recordPollFailure(Connection connection, String mailbox, Instant now, String reason)
            throws SQLException {
        updateMailbox(connection, mailbox, "poll_failure = ?, poll_failed_at = ?", update -> {
            update.setString(1, reason);
            setInstant(update, 2, now);
            return 3;
        });
    }

    static Optional<MailboxActivity> selectMailboxActivity(Connection connection, String mailbox)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT mailbox, handshake_at, handshake_failure,"
                + " polled_at, inbox_count, poll_failure, poll_failed_at FROM mailbox_activity WHERE mailbox = ?")) {
            select.setString(1, mailbox);
            return first(select, row -> new MailboxActivity(row.getString("mailbox"), instant(row, "handshake_at"),
                    row.getString("handshake_failure"), instant(row, "polled_at"), row.getInt("inbox_count"),
                    row.getString("poll_failure"), instant(row, "poll_failed_at")));
        }
    }

    /**
     * Sets {@code assignments} on the mailbox's row, making the row first if there is none; of two nodes making it at
     * once, the one whose insert meets the other's row updates it instead.
     */
    private static void updateMailbox(Connection connection, String mailbox, String assignments, Binder values)
            throws SQLException {
        String sql = "UPDATE mailbox_activity SET " + assignments + " WHERE mailbox = ?";
        if (update(connection, sql, mailbox, values) > 0) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO mailbox_activity (mailbox, inbox_count) VALUES (?, 0)")) {
            insert.setString(1, mailbox);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
        }
        update(connection, sql, mailbox, values);
    }

    private static int update(Connection connection, String sql, String mailbox, Binder values) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(values.bind(update), mailbox);
            return update.executeUpdate();
        }
    }

    /** Binds the assignments' parameters; returns the index of the next, the mailbox's. */
    @FunctionalInterface
    private interface Binder {
        int bind(PreparedStatement statement) throws SQLException;
    }

    static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant == null ? null : millis(instant).atOffset(ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    static <T> Optional<T> first(PreparedStatement select, RowMapper<T> mapper) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
        }
    }

    static <T> List<T> all(PreparedStatement select, RowMapper<T> mapper) throws SQLException {
        List<T> result = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
        }
        return result;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }
}
