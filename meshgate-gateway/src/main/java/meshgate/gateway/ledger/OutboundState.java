package meshgate.gateway.ledger;

/** Where an outbound object is: QUEUED -> SENDING -> ACCEPTED -> ACKNOWLEDGED | UNDELIVERABLE | EXPIRED; or FAILED. */
public enum OutboundState {
    QUEUED, SENDING, ACCEPTED, ACKNOWLEDGED, UNDELIVERABLE, EXPIRED, FAILED;

    /** True once nothing more will happen to it. */
    public boolean isFinal() {
        return this == ACKNOWLEDGED || this == UNDELIVERABLE || this == EXPIRED || this == FAILED;
    }
}
