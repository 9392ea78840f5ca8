package meshgate.gateway.ledger;

import java.util.Optional;

/**
 * A message MESH accepted whose events have not all gone out. {@code announced} is the state whose event went out
 * last (empty: none yet). The events owed follow from the record's state: {@code message_sent} once accepted, then
 * one {@code delivery_status_changed} when it reaches a final state. They are owed by the same ledger write that
 * records the state, so a crash cannot lose one.
 */
public record OutboundEventsOwed(OutboundRecord record, Optional<OutboundState> announced) {
    /** The states that have events, in order. */
    public static final java.util.Set<OutboundState> ANNOUNCED_STATES = java.util.EnumSet.of(OutboundState.ACCEPTED,
            OutboundState.ACKNOWLEDGED, OutboundState.UNDELIVERABLE, OutboundState.EXPIRED);

    /** The state whose event is owed next: ACCEPTED (message sent) first, then the final state, if any. */
    public OutboundState next() {
        return announced.isEmpty() ? OutboundState.ACCEPTED : record.state();
    }
}
