package meshgate.client;

import java.util.Optional;

/**
 * Every failure of a MESH call. Carries the HTTP status (0 when no response arrived), MESH's error event, code and
 * description when MESH gave them, and whether trying again can help.
 */
public class MeshException extends RuntimeException {
    private final int httpStatus;
    private final String errorEvent;
    private final String errorCode;
    private final String errorDescription;
    private final boolean retryable;

    public MeshException(String message, int httpStatus, String errorEvent, String errorCode, String errorDescription,
            boolean retryable, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorEvent = emptyToNull(errorEvent);
        this.errorCode = emptyToNull(errorCode);
        this.errorDescription = emptyToNull(errorDescription);
        this.retryable = retryable;
    }

    /** The HTTP status of MESH's answer, or 0 when no answer arrived (connection or TLS failure). */
    public int httpStatus() {
        return httpStatus;
    }

    /** MESH's error event, e.g. {@code SEND}, {@code RECEIVE}. */
    public Optional<String> errorEvent() {
        return Optional.ofNullable(errorEvent);
    }

    /** MESH's error code, e.g. {@code 12} for an unregistered recipient, {@code 20} for an unknown message. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    public Optional<String> errorDescription() {
        return Optional.ofNullable(errorDescription);
    }

    /** True when the same call may succeed if tried again later (connection errors, 429, 5xx). */
    public boolean isRetryable() {
        return retryable;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
