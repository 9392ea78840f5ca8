package meshgate.gateway.ledger;

import java.time.Instant;

/**
 * What the gateway last saw of one of its mailboxes, for a person to read ({@code meshgate status}): its last
 * handshake and whether it worked, how many messages its inbox held at the last poll that worked, and the last poll
 * that failed since then. Nullable: handshakeAt, handshakeFailure (null when the handshake worked), polledAt,
 * pollFailure and pollFailedAt (null once a poll works again).
 */
public record MailboxActivity(
        String mailbox,
        Instant handshakeAt,
        String handshakeFailure,
        Instant polledAt,
        int inboxCount,
        String pollFailure,
        Instant pollFailedAt) {

    /** True when the last handshake was refused or failed. */
    public boolean handshakeFailed() {
        return handshakeFailure != null;
    }
}
