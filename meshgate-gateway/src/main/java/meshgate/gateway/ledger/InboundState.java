package meshgate.gateway.ledger;

/** Where an inbound message is: LISTED -> DOWNLOADING -> STORED -> ACKNOWLEDGED; or FAILED. */
public enum InboundState {
    LISTED, DOWNLOADING, STORED, ACKNOWLEDGED, FAILED
}
