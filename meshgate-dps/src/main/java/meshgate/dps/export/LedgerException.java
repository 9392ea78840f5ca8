package meshgate.dps.export;

/** The export ledger could not be read or written. */
public final class LedgerException extends RuntimeException {
    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
