package meshgate.gateway.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    /**
     * Claims an outbound record for {@code owner} (a gateway node) until {@code lease} from now, if no other owner
     * holds an unexpired claim on it. Only the owner of the claim sends the object; a node that dies loses its claims
     * when their lease runs out, and another node carries on from the recorded progress.
     *
     * @return true when {@code owner} now holds the claim (also when it already did: the lease is then extended)
     */
    boolean claimOutbound(long id, String owner, Duration lease);

    /**
     * Claims for {@code owner}, until {@code lease} from now, up to {@code limit} records that are {@code QUEUED} or
     * {@code SENDING} and not held under an unexpired claim by another owner, oldest first, and returns them. Records
     * {@code owner} already holds are among them, their lease extended. Nodes calling this at the same time get
     * different records, so a node can pick up the work of a node that died (its leases expired) without racing the
     * others for each record.
     */
    List<OutboundRecord> claimableOutbound(String owner, int limit, Duration lease);

    /** How many outbound records are in each state; every state is present, with 0 when it has none. */
    Map<OutboundState, Long> countOutbound();

    /** How many inbound records are in each state; every state is present, with 0 when it has none. */
    Map<InboundState, Long> countInbound();

    /** Gives up a claim {@code owner} holds; nothing happens if it holds none. */
    void releaseOutbound(long id, String owner);

    @Override
    void close();
}
