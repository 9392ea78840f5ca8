package meshgate.gateway.events;

/**
 * What happened to a message: the kinds of event the gateway emits. {@link #event} names the kind in the JSON of the
 * log, webhook and command sinks; {@link #detailType} is the EventBridge {@code detail-type}. docs/events.md is the
 * schema.
 */
public enum EventKind {
    /** A DATA message was stored under {@code inbound/} and acknowledged. */
    MESSAGE_RECEIVED("message_received", "MESH Message Received"),
    /** A REPORT (a non-delivery report, say) was stored as {@code .ctl} and acknowledged. */
    REPORT_RECEIVED("report_received", "MESH Report Received"),
    /** MESH accepted an outbound object: it has a message id. */
    MESSAGE_SENT("message_sent", "MESH Message Sent"),
    /** A sent message reached the end of its delivery: acknowledged, undeliverable or expired. */
    DELIVERY_STATUS_CHANGED("delivery_status_changed", "MESH Delivery Status Changed");

    private final String event;
    private final String detailType;

    EventKind(String event, String detailType) {
        this.event = event;
        this.detailType = detailType;
    }

    public String event() {
        return event;
    }

    public String detailType() {
        return detailType;
    }
}
