package meshgate.client;

/**
 * Whether MESH created the message is not known: the answer to the first chunk was lost, and MESH's tracking by local
 * id cannot tell this message from another (several messages have the local id, a candidate lacks fields to compare,
 * or only its upload time separates it from this send). Sending again could deliver it twice, so nothing more is
 * sent: keep the record and ask again later, or resolve it by hand. Retryable.
 */
public final class MeshIndeterminateException extends MeshException {
    /** {@code httpStatus}: MESH's answer that left the outcome unknown (e.g. 503), or 0 when none came. */
    public MeshIndeterminateException(String message, int httpStatus, Throwable cause) {
        super(message, httpStatus, null, null, null, true, cause);
    }
}
