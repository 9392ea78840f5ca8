package meshgate.sandbox.store;

/** One message as the sandbox holds it. */
public record StoredMessage(MessageEnvelope envelope, MessageState state) {

    public String id() {
        return envelope.messageId();
    }

    public MessageStatus status() {
        return state.status();
    }

    public StoredMessage with(MessageState newState) {
        return new StoredMessage(envelope, newState);
    }

    /** True while the message sits, unacknowledged, in {@code mailbox}'s inbox. */
    public boolean inInboxOf(String mailbox) {
        return state.status() == MessageStatus.ACCEPTED && mailbox.equals(envelope.recipient());
    }
}
