package meshgate.gateway.outbound;

/**
 * Whether the gateway gzips an outbound object. In order: {@code never_compress} turns all compression off;
 * {@code mex-content-compress} forces it on (or off); content already compressed ({@code mex-content-compressed}) or
 * already encoded ({@code Content-Encoding}) is never compressed again; otherwise objects of at least
 * {@code compress_threshold} bytes are compressed.
 */
public final class CompressionDecision {
    private CompressionDecision() {
    }

    public static boolean compress(SendParameters parameters, long size, long compressThreshold, boolean neverCompress) {
        if (neverCompress) {
            return false;
        }
        if (parameters.compressRequested().isPresent()) {
            return parameters.compressRequested().get() && parameters.contentEncoding().isEmpty();
        }
        if (parameters.contentCompressed() || parameters.contentEncoding().isPresent()) {
            return false;
        }
        return size >= compressThreshold;
    }
}
