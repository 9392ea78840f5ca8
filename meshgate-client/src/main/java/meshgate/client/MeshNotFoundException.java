package meshgate.client;

/**
 * The message does not exist, or is no longer available to this mailbox (HTTP 404/410, or 403 with MESH code 20
 * "Message does not exist", as MESH's documentation answers tracking).
 */
public final class MeshNotFoundException extends MeshException {
    public MeshNotFoundException(String message, int httpStatus, String errorEvent, String errorCode, String errorDescription,
            Throwable cause) {
        super(message, httpStatus, errorEvent, errorCode, errorDescription, false, cause);
    }
}
