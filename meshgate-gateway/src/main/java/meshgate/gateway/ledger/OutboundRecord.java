package meshgate.gateway.ledger;

import java.time.Instant;

/**
 * One outbound object version and its send. {@code chunkSize} and {@code compress} are fixed when sending starts, so
 * a resumed send cuts the content the same way. Nullable: sender, recipient, workflowId, localId, meshMessageId,
 * trackingStatus, reason, sentKey, startedAt, acceptedAt.
 */
public record OutboundRecord(
        long id,
        String objectKey,
        long size,
        Instant lastModified,
        OutboundState state,
        String sender,
        String recipient,
        String workflowId,
        String localId,
        String meshMessageId,
        int chunksTotal,
        int chunksAccepted,
        int chunkSize,
        boolean compress,
        String trackingStatus,
        String reason,
        boolean retryable,
        int attempts,
        String sentKey,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant acceptedAt) {

    public OutboundRecord withState(OutboundState value) {
        return new OutboundRecord(id, objectKey, size, lastModified, value, sender, recipient, workflowId, localId,
                meshMessageId, chunksTotal, chunksAccepted, chunkSize, compress, trackingStatus, reason, retryable,
                attempts, sentKey, createdAt, updatedAt, startedAt, acceptedAt);
    }

    /** The same record with {@code why} as its reason: what a person should know about this version. */
    public OutboundRecord withReason(String why) {
        return new OutboundRecord(id, objectKey, size, lastModified, state, sender, recipient, workflowId, localId,
                meshMessageId, chunksTotal, chunksAccepted, chunkSize, compress, trackingStatus, why, retryable,
                attempts, sentKey, createdAt, updatedAt, startedAt, acceptedAt);
    }

    /** Starts (or restarts) sending with resolved routing. */
    public OutboundRecord sending(String from, String to, String workflow, String local, int chunkBytes,
            boolean compressed, Instant now) {
        return new OutboundRecord(id, objectKey, size, lastModified, OutboundState.SENDING, from, to, workflow, local,
                meshMessageId, chunksTotal, chunksAccepted, chunkBytes, compressed, trackingStatus, null, false,
                attempts + 1, sentKey, createdAt, updatedAt, startedAt == null ? now : startedAt, acceptedAt);
    }

    public OutboundRecord progress(String messageId, int accepted, int total) {
        return new OutboundRecord(id, objectKey, size, lastModified, state, sender, recipient, workflowId, localId,
                messageId, total, accepted, chunkSize, compress, trackingStatus, reason, retryable, attempts, sentKey,
                createdAt, updatedAt, startedAt, acceptedAt);
    }

    public OutboundRecord accepted(String messageId, Instant now) {
        return new OutboundRecord(id, objectKey, size, lastModified, OutboundState.ACCEPTED, sender, recipient,
                workflowId, localId, messageId, chunksTotal, chunksTotal, chunkSize, compress, "accepted", null, false,
                attempts, sentKey, createdAt, updatedAt, startedAt, now);
    }

    public OutboundRecord sentTo(String key) {
        return new OutboundRecord(id, objectKey, size, lastModified, state, sender, recipient, workflowId, localId,
                meshMessageId, chunksTotal, chunksAccepted, chunkSize, compress, trackingStatus, reason, retryable,
                attempts, key, createdAt, updatedAt, startedAt, acceptedAt);
    }

    public OutboundRecord failed(String why, boolean canRetry) {
        return new OutboundRecord(id, objectKey, size, lastModified, OutboundState.FAILED, sender, recipient,
                workflowId, localId, meshMessageId, chunksTotal, chunksAccepted, chunkSize, compress, trackingStatus,
                why, canRetry, attempts, sentKey, createdAt, updatedAt, startedAt, acceptedAt);
    }

    public OutboundRecord tracked(OutboundState value, String status, String why) {
        return new OutboundRecord(id, objectKey, size, lastModified, value, sender, recipient, workflowId, localId,
                meshMessageId, chunksTotal, chunksAccepted, chunkSize, compress, status, why, retryable, attempts,
                sentKey, createdAt, updatedAt, startedAt, acceptedAt);
    }
}
