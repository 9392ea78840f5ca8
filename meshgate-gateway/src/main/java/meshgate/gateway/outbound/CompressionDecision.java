package meshgate.gateway.outbound;

import java.io.IOException;
import meshgate.client.Compressibility;
import meshgate.client.MessageContent;

/**
 * Whether the gateway gzips an outbound object. In order: {@code never_compress} turns all compression off;
 * {@code mex-content-compress} forces it on (or off); content already compressed ({@code mex-content-compressed}) or
 * already encoded ({@code Content-Encoding}) is never compressed again; otherwise objects of at least
 * {@code compress_threshold} bytes are compressed, unless samples of them show they do not compress
 * ({@link Compressibility}).
 */
public final class CompressionDecision {
    private CompressionDecision() {
    }

    /** The content's samples, read only when the decision rests on them. */
    @FunctionalInterface
    public interface Content {
        MessageContent get() throws IOException;
    }

    public static boolean compress(SendParameters parameters, long size, long compressThreshold, boolean neverCompress,
            Content content) throws IOException {
        if (neverCompress) {
            return false;
        }
        if (parameters.compressRequested().isPresent()) {
            return parameters.compressRequested().get() && parameters.contentEncoding().isEmpty();
        }
        if (parameters.contentCompressed() || parameters.contentEncoding().isPresent()) {
            return false;
        }
        return size >= compressThreshold && Compressibility.worthCompressing(content.get());
    }
}
