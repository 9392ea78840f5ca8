package meshgate.sandbox.fault;

/** The failures the sandbox can inject into a MESH API request. */
public enum FaultKind {
    /** Answer 500 without doing anything. */
    HTTP_500,
    /** Answer 503 without doing anything. */
    HTTP_503,
    /** Answer 429 with {@code Retry-After: 1} without doing anything. */
    HTTP_429,
    /** Close the connection before reading the request body; nothing happened. */
    DROP_BEFORE_BODY,
    /** Do the work, then close the connection instead of answering: the client cannot tell whether it happened. */
    DROP_AFTER_PROCESSING,
    /** For message downloads: send the headers and half the body, then close the connection. */
    DROP_MID_DOWNLOAD,
    /**
     * For message downloads: send the headers and half the body, then go silent with the connection open, as a peer
     * that stops answering does, until the client closes it (or for five minutes). Only a read timeout ends it.
     */
    STALL_MID_DOWNLOAD,
    /** For JSON answers: do the work, then answer 200 with JSON cut off in the middle. */
    MALFORMED_JSON,
    /** For message downloads: answer with a {@code mex-chunk-range} that is not {@code n:N}. */
    BAD_CHUNK_RANGE,
    /** Declare a Content-Length longer than the body sent, then close: a response that lies about its length. */
    WRONG_CONTENT_LENGTH,
    /** Do the work, then answer 503 as if it had failed: the client cannot tell whether it happened. */
    HTTP_503_AFTER_PROCESSING;

    /**
     * Every kind but {@link #STALL_MID_DOWNLOAD}, which holds a connection until the client's read timeout (minutes by
     * default) and so is only injected when asked for by name.
     */
    public static FaultKind[] unattended() {
        return java.util.Arrays.stream(values()).filter(kind -> kind != STALL_MID_DOWNLOAD).toArray(FaultKind[]::new);
    }

    /** The faults a MESH client meets on a bad network or a failing server. */
    public static FaultKind[] transport() {
        return new FaultKind[] {HTTP_500, HTTP_503, HTTP_429, DROP_BEFORE_BODY, DROP_AFTER_PROCESSING,
            DROP_MID_DOWNLOAD};
    }

    /** Answers that are malformed: broken JSON, nonsense headers, a length that lies. */
    public static FaultKind[] malformed() {
        return new FaultKind[] {MALFORMED_JSON, BAD_CHUNK_RANGE, WRONG_CONTENT_LENGTH};
    }

    /** True when this kind can apply to a request; some only to downloads, some only to JSON answers. */
    public boolean appliesTo(boolean download) {
        return switch (this) {
            case DROP_MID_DOWNLOAD, STALL_MID_DOWNLOAD, BAD_CHUNK_RANGE -> download;
            case MALFORMED_JSON -> !download;
            default -> true;
        };
    }
}
