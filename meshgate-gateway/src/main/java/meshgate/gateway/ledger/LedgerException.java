package meshgate.gateway.ledger;

/**
 * The change asked of the ledger has not been made: its database could not be read or written, or (a
 * {@link StaleClaimException}) the write was made under a claim that another has since taken over.
 */
public sealed class LedgerException extends RuntimeException permits StaleClaimException {
    private static final long serialVersionUID = 1L;

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
