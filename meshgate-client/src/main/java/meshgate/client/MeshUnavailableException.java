package meshgate.client;

/** MESH answered that it cannot serve the request now (HTTP 429 or 5xx); trying later can help. */
public final class MeshUnavailableException extends MeshException {
    public MeshUnavailableException(String message, int httpStatus, String errorEvent, String errorCode, String errorDescription,
            Throwable cause) {
        super(message, httpStatus, errorEvent, errorCode, errorDescription, true, cause);
    }
}
