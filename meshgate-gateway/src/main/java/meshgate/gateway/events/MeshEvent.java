package meshgate.gateway.events;

import java.util.Objects;

/**
 * One event: its kind and its fields. {@link #id} tells one event from another (and is the same when an event is
 * delivered again), so a receiver can deduplicate by it.
 */
public record MeshEvent(EventKind kind, EventDetail detail) {
    public MeshEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** The message id and what happened to it, e.g. {@code 20261130...:message_sent}. */
    public String id() {
        return detail.messageId() + ":" + kind.event() + (kind == EventKind.DELIVERY_STATUS_CHANGED
                ? ":" + detail.status() : "");
    }
}
