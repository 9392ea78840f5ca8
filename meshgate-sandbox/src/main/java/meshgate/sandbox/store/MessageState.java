package meshgate.sandbox.store;

import java.time.Instant;

/**
 * The changing part of a message: its status, when it reached the inbox ({@code arrival} orders the inbox), and the
 * MESH status fields ({@code statusCode} and friends) once something noteworthy happened to it.
 */
public record MessageState(
        MessageStatus status,
        Instant acceptedAt,
        Instant acknowledgedAt,
        long arrival,
        String statusCode,
        String statusEvent,
        String statusDescription,
        Instant statusTimestamp) {

    public static MessageState uploading() {
        return new MessageState(MessageStatus.UPLOADING, null, null, 0, null, null, null, null);
    }

    public MessageState accepted(Instant at, long arrivalOrder) {
        return new MessageState(MessageStatus.ACCEPTED, at, null, arrivalOrder, statusCode, statusEvent,
                statusDescription, statusTimestamp);
    }

    public MessageState acknowledged(Instant at) {
        return new MessageState(MessageStatus.ACKNOWLEDGED, acceptedAt, at, arrival, statusCode, statusEvent,
                statusDescription, statusTimestamp);
    }

    public MessageState failed(MessageStatus failedStatus, Instant at, String code, String event, String description) {
        return new MessageState(failedStatus, acceptedAt, acknowledgedAt, arrival, code, event, description, at);
    }

    public MessageState withStatusFields(String code, String event, String description, Instant at) {
        return new MessageState(status, acceptedAt, acknowledgedAt, arrival, code, event, description, at);
    }
}
