package meshgate.client;

/** The message does not exist, or is no longer available to this mailbox (HTTP 404/410). */
public final class MeshNotFoundException extends MeshException {
    public MeshNotFoundException(String message, int httpStatus, String errorEvent, String errorCode, String errorDescription,
            Throwable cause) {
        super(message, httpStatus, errorEvent, errorCode, errorDescription, false, cause);
    }
}
