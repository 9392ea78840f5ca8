package meshgate.gateway.ledger;

import java.time.Instant;

/**
 * One inbound message. Nullable: messageType, sender, workflowId, objectKey, reason (set as the message is
 * downloaded and stored).
 */
public record InboundRecord(
        String mailbox,
        String messageId,
        InboundState state,
        String messageType,
        String sender,
        String workflowId,
        String objectKey,
        long size,
        boolean eventEmitted,
        String reason,
        int attempts,
        Instant createdAt,
        Instant updatedAt) {

    public InboundRecord withState(InboundState value) {
        return new InboundRecord(mailbox, messageId, value, messageType, sender, workflowId, objectKey, size,
                eventEmitted, reason, attempts, createdAt, updatedAt);
    }

    public InboundRecord downloading() {
        return new InboundRecord(mailbox, messageId, InboundState.DOWNLOADING, messageType, sender, workflowId,
                objectKey, size, eventEmitted, null, attempts + 1, createdAt, updatedAt);
    }

    public InboundRecord stored(String type, String from, String workflow, String key, long bytes) {
        return new InboundRecord(mailbox, messageId, InboundState.STORED, type, from, workflow, key, bytes,
                eventEmitted, null, attempts, createdAt, updatedAt);
    }

    public InboundRecord withEventEmitted() {
        return new InboundRecord(mailbox, messageId, state, messageType, sender, workflowId, objectKey, size, true,
                reason, attempts, createdAt, updatedAt);
    }

    public InboundRecord failed(String why) {
        return new InboundRecord(mailbox, messageId, InboundState.FAILED, messageType, sender, workflowId, objectKey,
                size, eventEmitted, why, attempts, createdAt, updatedAt);
    }
}
