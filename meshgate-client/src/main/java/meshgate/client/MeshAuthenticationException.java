package meshgate.client;

/** MESH refused the credentials: bad mailbox, password, shared key or token (HTTP 401/403). */
public final class MeshAuthenticationException extends MeshException {
    public MeshAuthenticationException(String message, int httpStatus, String errorEvent, String errorCode, String errorDescription,
            Throwable cause) {
        super(message, httpStatus, errorEvent, errorCode, errorDescription, false, cause);
    }
}
