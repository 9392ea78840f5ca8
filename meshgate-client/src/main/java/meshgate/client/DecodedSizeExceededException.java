package meshgate.client;

import java.io.IOException;

/**
 * Decoding a gzip-encoded message would give more than the limit the reader set: a gzip bomb, or a message larger
 * than the reader is prepared to hold. Thrown by the stream from {@link MessageInputStream#decoded(int, long)} as soon
 * as the limit is passed, so no more than the limit is ever produced.
 */
public final class DecodedSizeExceededException extends IOException {
    private final long limit;

    public DecodedSizeExceededException(String messageId, long limit) {
        super("message " + messageId + " decodes to more than " + limit + " bytes");
        this.limit = limit;
    }

    /** The most decoded bytes the reader accepts. */
    public long limit() {
        return limit;
    }
}
