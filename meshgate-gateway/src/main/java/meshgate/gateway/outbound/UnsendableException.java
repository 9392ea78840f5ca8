package meshgate.gateway.outbound;

/** An outbound object that cannot be sent as it stands; the message says why, for a person to act on. */
public final class UnsendableException extends Exception {
    public UnsendableException(String reason) {
        super(reason);
    }
}
