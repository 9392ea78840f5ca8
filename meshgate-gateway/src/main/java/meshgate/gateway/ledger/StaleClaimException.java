package meshgate.gateway.ledger;

/**
 * A write made under a claim that is no longer the record's current one: another owner (or a later claim of the same
 * owner) holds the record now. The change has not been made, and the holder of the stale claim must stop sending.
 */
public final class StaleClaimException extends LedgerException {
    private static final long serialVersionUID = 1L;

    private final transient OutboundClaim claim;

    public StaleClaimException(OutboundClaim claim) {
        super("outbound record " + claim.recordId() + " is no longer held by " + claim.owner() + " under claim "
                + claim.generation(), null);
        this.claim = claim;
    }

    public OutboundClaim claim() {
        return claim;
    }
}
