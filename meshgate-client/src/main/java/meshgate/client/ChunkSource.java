package meshgate.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A message's content cut into MESH chunks of {@code chunkSize} bytes. Each chunk can be read more than once (for
 * retries). When compressing, each chunk becomes one gzip member, so the chunk count is known before sending and
 * the concatenated chunks form one valid multi-member gzip stream.
 */
abstract class ChunkSource implements Closeable {
    static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    final long length;
    final int chunkSize;
    final int crumbSize;
    final boolean compress;

    ChunkSource(long length, int chunkSize, int crumbSize, boolean compress) {
        this.length = length;
        this.chunkSize = chunkSize;
        this.crumbSize = crumbSize;
        this.compress = compress;
    }

    int count() {
        return length == 0 ? 1 : (int) ((length + chunkSize - 1) / chunkSize);
    }

    long chunkLength(int number) {
        long start = (long) (number - 1) * chunkSize;
        return Math.min(chunkSize, length - start);
    }

    /** The body of chunk {@code number} (from 1); chunks are asked for in order, each perhaps several times. */
    abstract RequestBody body(int number) throws IOException;

    @Override
    public void close() throws IOException {
    }

    static ChunkSource of(MessageContent content, int chunkSize, int crumbSize, boolean compress) {
        return new ContentChunks(content, chunkSize, crumbSize, compress);
    }

    static ChunkSource of(InputStream in, long length, int chunkSize, int crumbSize, boolean compress) {
        return new StreamChunks(in, length, chunkSize, crumbSize, compress);
    }

    /** gzip {@code chunk} into one buffer sized for the worst case, so it is allocated once. */
    RequestBody gzip(InputStream chunk, long chunkLength) throws IOException {
        ExposedBuffer out = new ExposedBuffer((int) Math.min(Integer.MAX_VALUE - 16, chunkLength + chunkLength / 500 + 1024));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, crumbSize) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            chunk.transferTo(gzip);
        }
        return RequestBody.create(out.array(), OCTET_STREAM, 0, out.size());
    }

    /** Reads each chunk from its offset; nothing is held beyond one crumb, or one compressed chunk. */
    private static final class ContentChunks extends ChunkSource {
        private final MessageContent content;

        ContentChunks(MessageContent content, int chunkSize, int crumbSize, boolean compress) {
            super(content.length(), chunkSize, crumbSize, compress);
            this.content = content;
        }

        @Override
        RequestBody body(int number) throws IOException {
            long start = (long) (number - 1) * chunkSize;
            long chunkLength = chunkLength(number);
            if (compress) {
                try (InputStream in = new LimitedInputStream(content.open(start), chunkLength)) {
                    return gzip(in, chunkLength);
                }
            }
            return new RequestBody() {
                @Override
                public MediaType contentType() {
                    return OCTET_STREAM;
                }

                @Override
                public long contentLength() {
                    return chunkLength;
                }

                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                    byte[] crumb = new byte[crumbSize];
                    try (InputStream in = content.open(start)) {
                        for (long remaining = chunkLength; remaining > 0; ) {
                            int read = in.read(crumb, 0, (int) Math.min(crumb.length, remaining));
                            if (read < 0) {
                                throw new IOException("content shrank while being sent: " + content);
                            }
                            sink.write(crumb, 0, read);
                            remaining -= read;
                        }
                    }
                }
            };
        }
    }

    /** Reads a stream once, holding the current chunk in memory so that it can be sent again. */
    private static final class StreamChunks extends ChunkSource {
        private final InputStream in;
        private int current;
        private RequestBody currentBody;

        StreamChunks(InputStream in, long length, int chunkSize, int crumbSize, boolean compress) {
            super(length, chunkSize, crumbSize, compress);
            this.in = in;
        }

        @Override
        RequestBody body(int number) throws IOException {
            if (number == current) {
                return currentBody;
            }
            if (number != current + 1) {
                throw new IllegalStateException("stream chunks must be read in order");
            }
            long chunkLength = chunkLength(number);
            byte[] bytes = in.readNBytes((int) chunkLength);
            if (bytes.length != chunkLength) {
                throw new IOException("stream ended after " + ((long) (number - 1) * chunkSize + bytes.length)
                        + " of " + length + " bytes");
            }
            currentBody = compress
                    ? gzip(new java.io.ByteArrayInputStream(bytes), chunkLength)
                    : RequestBody.create(bytes, OCTET_STREAM);
            current = number;
            return currentBody;
        }
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class LimitedInputStream extends java.io.FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(b, off, (int) Math.min(len, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }
    }

    /** A growable byte buffer whose array can be sent without another copy. */
    private static final class ExposedBuffer extends java.io.ByteArrayOutputStream {
        ExposedBuffer(int capacity) {
            super(capacity);
        }

        byte[] array() {
            return buf;
        }
    }
}
