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

    /**
     * Replaces the record with the same id; {@code updatedAt} is set by the ledger. For changes made by no claim's
     * holder (delivery tracking); a sender writes with {@link #updateOutbound(OutboundClaim, OutboundRecord)}.
     */
    OutboundRecord updateOutbound(OutboundRecord record);

    /**
     * Replaces the record with the same id if {@code claim} is still its current claim (the same owner and
     * generation; the lease may have run out meanwhile, as long as nobody claimed it since).
     *
     * @throws StaleClaimException when another claim has been made since: nothing is written
     */
    OutboundRecord updateOutbound(OutboundClaim claim, OutboundRecord record);

    /**
     * {@link #updateOutbound(OutboundClaim, OutboundRecord)} that also gives the claim up, in one write where the
     * ledger can: the last write of a send.
     *
     * @throws StaleClaimException when another claim has been made since: nothing is written
     */
    default OutboundRecord updateAndReleaseOutbound(OutboundClaim claim, OutboundRecord record) {
        OutboundRecord updated = updateOutbound(claim, record);
        releaseOutbound(claim);
        return updated;
    }

    List<OutboundRecord> outbound(OutboundState... states);

    /** The inbound record of a message, created {@code LISTED} if there is none yet. */
    InboundRecord recordInbound(String mailbox, String messageId);

    Optional<InboundRecord> findInbound(String mailbox, String messageId);

    /**
     * Records that a message is being downloaded, in one write where the ledger can: a message not recorded yet is
     * created {@code DOWNLOADING} at its first attempt; one still {@linkplain InboundState#toDownload to download}
     * becomes {@code DOWNLOADING} with one attempt more ({@link InboundRecord#downloading}); one further on is
     * returned as it is.
     */
    default InboundRecord startInbound(String mailbox, String messageId) {
        InboundRecord record = recordInbound(mailbox, messageId);
        return record.state().toDownload() ? updateInbound(record.downloading()) : record;
    }

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
     * holds an unexpired claim on it. Only the holder of the current claim sends the object; a node that dies loses
     * its claims when their lease runs out, and another node carries on from the recorded progress. Each claim gets a
     * new generation, also when {@code owner} held the record already (a node restarted under the same name), so
     * writes under any earlier claim are refused from now on.
     *
     * @return the new claim, or empty when another owner holds an unexpired claim (or there is no such record)
     */
    Optional<OutboundClaim> claimOutbound(long id, String owner, Duration lease);

    /**
     * Extends {@code claim} until {@code lease} from now, if it is still the record's current claim.
     *
     * @return false when another claim has been made since: the holder must stop sending
     */
    boolean renewOutbound(OutboundClaim claim, Duration lease);

    /** How many outbound records are in each state; every state is present, with 0 when it has none. */
    Map<OutboundState, Long> countOutbound();

    /** How many inbound records are in each state; every state is present, with 0 when it has none. */
    Map<InboundState, Long> countInbound();

    /** Gives up {@code claim} if it is still the record's current claim; nothing happens otherwise. */
    void releaseOutbound(OutboundClaim claim);

    /**
     * Accepted messages (with a MESH message id) whose events have not all gone out: the state recorded is ahead of
     * the state last announced (see {@link OutboundEventsOwed}), oldest first.
     */
    default List<OutboundEventsOwed> outboundEventsOwed() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not keep outbound events");
    }

    /**
     * Records that the event of {@code state} went out for the record {@code id}. Touches nothing else of the record
     * (not even {@code updatedAt}): the sender's and the tracker's writes never undo it, nor it theirs.
     */
    default void outboundEventAnnounced(long id, OutboundState state) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not keep outbound events");
    }

    /**
     * Records a round of events that went out, in one transaction where the ledger has them: each received message's
     * event ({@code eventEmitted}, and {@code updatedAt}), and the state announced of each sent message (as
     * {@link #outboundEventAnnounced} does). A crash before it commits leaves them owed: they go out again, as
     * at-least-once delivery allows.
     */
    default void eventsDelivered(DeliveredEvents events) {
        for (DeliveredEvents.Received received : events.received()) {
            updateInbound(findInbound(received.mailbox(), received.messageId()).orElseThrow(
                    () -> new IllegalArgumentException("no inbound record for mailbox " + received.mailbox()
                            + " message " + received.messageId())).withEventEmitted());
        }
        for (DeliveredEvents.Sent sent : events.sent()) {
            outboundEventAnnounced(sent.id(), sent.state());
        }
    }

    /** Records a handshake of {@code mailbox} now: it worked when {@code failure} is empty. */
    void recordHandshake(String mailbox, Optional<String> failure);

    /** Records a poll of {@code mailbox} that worked now, its inbox holding {@code inboxCount} messages. */
    void recordPoll(String mailbox, int inboxCount);

    /** Records a poll of {@code mailbox} that failed now, and why; the last poll that worked is kept. */
    void recordPollFailure(String mailbox, String reason);

    /** What was last recorded of {@code mailbox}'s handshakes and polls; empty when nothing was. */
    Optional<MailboxActivity> mailboxActivity(String mailbox);

    @Override
    void close();
}
