package meshgate.client;

/** No usable answer arrived: the connection failed, was dropped or timed out; trying again can help. */
public final class MeshTransportException extends MeshException {
    public MeshTransportException(String message, int httpStatus, String errorEvent, String errorCode, String errorDescription,
            Throwable cause) {
        super(message, httpStatus, errorEvent, errorCode, errorDescription, true, cause);
    }
}
