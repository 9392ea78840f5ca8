package meshgate.client;

/** MESH rejected the request as it stands: unknown recipient, bad chunk range, bad headers (other HTTP 4xx). */
public final class MeshRejectedException extends MeshException {
    public MeshRejectedException(String message, int httpStatus, String errorEvent, String errorCode, String errorDescription,
            Throwable cause) {
        super(message, httpStatus, errorEvent, errorCode, errorDescription, false, cause);
    }
}
