package meshgate.gateway.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's durable record of every message it handles, outbound and inbound, and of how far each has got.
 * A committed change survives a crash of the process (SIGKILL). Implementations: an embedded database for one node,
 * PostgreSQL for several.
 */
public interface Ledger extends AutoCloseable {
    /**
     * The outbound record of this object version (key, size, modification time), created {@code QUEUED} if there is
     * none yet.
     */
    OutboundRecord recordOutbound(String objectKey, long size, Instant lastModified);

    Optional<OutboundRecord> findOutbound(long id);

    /** Replaces the record with the same id; {@code updatedAt} is set by the ledger. */
    OutboundRecord updateOutbound(OutboundRecord record);

    List<OutboundRecord> outbound(OutboundState... states);

    /** The inbound record of a message, created {@code LISTED} if there is none yet. */
    InboundRecord recordInbound(String mailbox, String messageId);

    Optional<InboundRecord> findInbound(String mailbox, String messageId);

    /** Replaces the record with the same mailbox and message id; {@code updatedAt} is set by the ledger. */
    InboundRecord updateInbound(InboundRecord record);

    List<InboundRecord> inbound(InboundState... states);

    /**
     * A mailbox's messages with work left after storing: {@code STORED} (to announce and acknowledge), or
     * acknowledged with their event not yet delivered.
     */
    List<InboundRecord> inboundToFinish(String mailbox);

    @Override
    void close();
}
