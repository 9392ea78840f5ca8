package meshgate.gateway.ledger;

/** The ledger's database could not be read or written; the change asked for has not been made. */
public final class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
