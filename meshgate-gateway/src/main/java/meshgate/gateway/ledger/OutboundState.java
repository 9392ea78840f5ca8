package meshgate.gateway.ledger;

/**
 * Where an outbound object version is: QUEUED -> SENDING -> ACCEPTED -> ACKNOWLEDGED | UNDELIVERABLE | EXPIRED; or
 * FAILED; or SUPERSEDED, when the file changed before MESH had all of this version (the changed file is a version of
 * its own, with its own record); or ADOPTED, when the object was already under {@code outbound/} at the gateway's first
 * start and taken as sent by whatever was there before (see {@code outbound_existing}): it is never sent.
 */
public enum OutboundState {
    QUEUED, SENDING, ACCEPTED, ACKNOWLEDGED, UNDELIVERABLE, EXPIRED, FAILED, SUPERSEDED, ADOPTED;

    /** True once nothing more will happen to it. */
    public boolean isFinal() {
        return this == ACKNOWLEDGED || this == UNDELIVERABLE || this == EXPIRED || this == FAILED
                || this == SUPERSEDED || this == ADOPTED;
    }
}
