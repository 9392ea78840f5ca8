package meshgate.client;

/** The TLS handshake failed: untrusted or missing certificate, hostname mismatch. Retrying will not help. */
public final class MeshTlsException extends MeshException {
    public MeshTlsException(String message, int httpStatus, String errorEvent, String errorCode, String errorDescription,
            Throwable cause) {
        super(message, httpStatus, errorEvent, errorCode, errorDescription, false, cause);
    }
}
