package meshgate.gateway.ledger;

/** Where an inbound message is: LISTED -> DOWNLOADING -> STORED -> ACKNOWLEDGED; or FAILED. */
public enum InboundState {
    LISTED, DOWNLOADING, STORED, ACKNOWLEDGED, FAILED;

    /** True when a message in this state is still to be downloaded (again): not stored yet. */
    public boolean toDownload() {
        return this == LISTED || this == DOWNLOADING || this == FAILED;
    }
}
