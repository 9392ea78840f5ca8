package meshgate.sandbox.store;

import java.time.Instant;

/**
 * REPORT messages: raised by the central system (no sender), no chunks (MESH says {@code 1:0}; a download is one empty
 * body), status fields saying what happened.
 */
public final class Reports {
    private Reports() {
    }

    /** The non-delivery report for {@code original}, put in its sender's inbox. */
    public static StoredMessage nonDelivery(StoredMessage original, String reportId, Instant now, long arrival) {
        MessageEnvelope o = original.envelope();
        MessageState s = original.state();
        return report(reportId, o.sender(), o.workflowId(), o.subject(), o.localId(), o.fileName(), o.messageId(),
                now, arrival, s.statusCode(), s.statusEvent(), s.statusDescription());
    }

    public static StoredMessage report(String reportId, String recipient, String workflowId, String subject,
            String localId, String fileName, String linkedMessageId, Instant now, long arrival, String code,
            String event, String description) {
        MessageEnvelope envelope = new MessageEnvelope(reportId, "REPORT", null, recipient, workflowId, subject,
                localId, null, fileName, null, null, false, false, null, 0, now, linkedMessageId);
        MessageState state = MessageState.uploading().accepted(now, arrival).withStatusFields(code, event, description,
                now);
        return new StoredMessage(envelope, state);
    }
}
