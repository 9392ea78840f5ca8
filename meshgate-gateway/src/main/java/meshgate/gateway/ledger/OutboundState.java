package meshgate.gateway.ledger;

/**
 * Where an outbound object version is: QUEUED -> SENDING -> ACCEPTED -> ACKNOWLEDGED | UNDELIVERABLE | EXPIRED; or
 * FAILED; or SUPERSEDED, when the file changed before MESH had all of this version (the changed file is a version of
 * its own, with its own record).
 */
public enum OutboundState {
    QUEUED, SENDING, ACCEPTED, ACKNOWLEDGED, UNDELIVERABLE, EXPIRED, FAILED, SUPERSEDED;

    /** True once nothing more will happen to it. */
    public boolean isFinal() {
        return this == ACKNOWLEDGED || this == UNDELIVERABLE || this == EXPIRED || this == FAILED
                || this == SUPERSEDED;
    }
}
