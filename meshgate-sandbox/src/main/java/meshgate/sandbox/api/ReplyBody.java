package meshgate.sandbox.api;

import java.io.IOException;
import java.io.OutputStream;

/** A response body, written only when the response is sent so message bytes stream straight from the store. */
public interface ReplyBody {
    /** The length in bytes, or -1 when it is known only by writing it (a chunk decompressed on the fly). */
    long length();

    void writeTo(OutputStream out) throws IOException;

    static ReplyBody of(byte[] bytes) {
        return new ReplyBody() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }
}
