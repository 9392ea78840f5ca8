package meshgate.dps.record;

/** A source of vaccination records could not be read; nothing is exported for that programme until it can be. */
public final class RecordSourceException extends RuntimeException {
    public RecordSourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public RecordSourceException(String message) {
        super(message);
    }
}
