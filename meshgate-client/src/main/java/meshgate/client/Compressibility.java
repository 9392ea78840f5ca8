package meshgate.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Deflater;

/**
 * Whether content is worth gzipping for transport, judged from samples of it: a few windows spread over the content
 * (its start, middle and end) deflated as a send would deflate them. Content that is already compressed or
 * encrypted (zip, gzip, JPEG, PDF streams, PGP) hardly shrinks, and compressing it costs the sender most of its speed
 * for nothing; text, CSV, JSON and HL7 shrink several times over.
 */
public final class Compressibility {
    /** Bytes read per sample. */
    static final int WINDOW = 64 * 1024;
    /** Samples spread over the content. */
    static final int SAMPLES = 3;
    /** Compressed size over raw size at or above which compressing is not worth it. */
    public static final double WORTH_BELOW = 0.9;

    private Compressibility() {
    }

    /** True when samples of {@code content} shrink below {@link #WORTH_BELOW} of their size. */
    public static boolean worthCompressing(MessageContent content) throws IOException {
        return ratio(content) < WORTH_BELOW;
    }

    /** Compressed size over raw size of the samples (1.0 for empty content). */
    public static double ratio(MessageContent content) throws IOException {
        long length = content.length();
        if (length == 0) {
            return 1.0;
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            byte[] window = new byte[WINDOW];
            byte[] out = new byte[WINDOW + WINDOW / 8 + 64];
            long raw = 0;
            long compressed = 0;
            long previousEnd = -1;
            for (int i = 0; i < SAMPLES; i++) {
                long start = Math.max(0, Math.min(length - WINDOW, (length - WINDOW) / Math.max(1, SAMPLES - 1) * i));
                if (start <= previousEnd && i > 0) {
                    continue; // content shorter than the windows: each byte is sampled once
                }
                int read;
                try (InputStream in = content.open(start)) {
                    read = in.readNBytes(window, 0, (int) Math.min(WINDOW, length - start));
                }
                previousEnd = start + read - 1;
                deflater.reset();
                deflater.setInput(window, 0, read);
                deflater.finish();
                while (!deflater.finished()) {
                    compressed += deflater.deflate(out);
                }
                raw += read;
            }
            return raw == 0 ? 1.0 : (double) compressed / raw;
        } finally {
            deflater.end();
        }
    }
}
