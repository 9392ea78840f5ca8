package meshgate.sandbox.store;

import java.time.Instant;

/**
 * What the sender said about a message when it was sent; fixed for the message's life. {@code sender} is null for
 * reports raised by the central system, {@code contentEncoding} is null or {@code gzip} (how the chunks are stored).
 */
public record MessageEnvelope(
        String messageId,
        String messageType,
        String sender,
        String recipient,
        String workflowId,
        String subject,
        String localId,
        String partnerId,
        String fileName,
        String contentType,
        String contentEncoding,
        boolean compressed,
        boolean encrypted,
        String checksum,
        int totalChunks,
        Instant uploadedAt,
        String linkedMessageId) {

    public boolean isReport() {
        return "REPORT".equals(messageType);
    }

    public boolean gzipped() {
        return "gzip".equalsIgnoreCase(contentEncoding);
    }
}
