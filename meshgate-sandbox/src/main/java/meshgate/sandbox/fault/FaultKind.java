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
    DROP_MID_DOWNLOAD;

    /** True when this kind can apply to a request; only downloads can be cut midway. */
    public boolean appliesTo(boolean download) {
        return this != DROP_MID_DOWNLOAD || download;
    }
}
