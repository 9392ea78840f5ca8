package meshgate.gateway.ledger;

import java.util.List;

/**
 * Events that went out in one round, recorded in the ledger together ({@link Ledger#eventsDelivered}): the events of
 * received messages, and the state whose event went out for each sent message.
 */
public record DeliveredEvents(List<Received> received, List<Sent> sent) {
    public DeliveredEvents {
        received = List.copyOf(received);
        sent = List.copyOf(sent);
    }

    public boolean isEmpty() {
        return received.isEmpty() && sent.isEmpty();
    }

    /** The event of a received message went out. */
    public record Received(String mailbox, String messageId) {
    }

    /** The event of {@code state} went out for the outbound record {@code id}. */
    public record Sent(long id, OutboundState state) {
    }
}
