package meshgate.client;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;

/**
 * A message's content cut into MESH chunks of {@code chunkSize} bytes. Each chunk can be read more than once (for
 * retries). When compressing, each chunk becomes one or more whole gzip members (one per {@link #SEGMENT} bytes of
 * content, deflated in parallel on the client's compression threads), so the chunk count is known before sending and
 * the concatenated chunks form one valid multi-member gzip stream. Content read by offset has its next chunk
 * compressed while the current one uploads, so at most two compressed chunks are held at once.
 */
abstract class ChunkSource implements Closeable {
    static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    /** Content bytes per gzip member: enough that a member's header, trailer and fresh dictionary cost nothing. */
    static final int SEGMENT = 4 * 1024 * 1024;

    /**
     * The deflate level. Level 1 (zlib's fast strategy) deflates CSV-like text two to four times faster than the
     * default level 6 for a few percent more bytes; levels 2 and 3 shrink it a little more, more slowly
     * (docs/performance.md, the levels table of the {@code compression} benchmark).
     */
    static final int LEVEL = Deflater.BEST_SPEED;

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

    /** {@code compressors}: the threads that deflate, when {@code compress}. */
    static ChunkSource of(MessageContent content, int chunkSize, int crumbSize, boolean compress,
            ExecutorService compressors) {
        return compress
                ? new CompressedContentChunks(content, chunkSize, crumbSize, compressors)
                : new ContentChunks(content, chunkSize, crumbSize);
    }

    static ChunkSource of(InputStream in, long length, int chunkSize, int crumbSize, boolean compress,
            ExecutorService compressors) {
        return new StreamChunks(in, length, chunkSize, crumbSize, compress, compressors);
    }

    /** Opens {@code length} bytes of content from {@code offset}. */
    @FunctionalInterface
    interface Range {
        InputStream open(long offset, long length) throws IOException;
    }

    /** Starts deflating {@code length} bytes from {@code offset}, one gzip member per {@link #SEGMENT}. */
    CompressedChunk compress(ExecutorService compressors, Range range, long offset, long length) {
        List<Future<Buffer>> members = new ArrayList<>();
        long end = offset + length;
        long at = offset;
        do {
            long start = at;
            long memberLength = Math.min(SEGMENT, end - start);
            members.add(compressors.submit(() -> {
                try (InputStream in = range.open(start, memberLength)) {
                    return gzip(in);
                }
            }));
            at += memberLength;
        } while (at < end);
        return new CompressedChunk(members);
    }

    /** Exactly {@code length} bytes of {@code content} from {@code offset}; content that ends sooner fails the read. */
    static InputStream range(MessageContent content, long offset, long length) throws IOException {
        return new LimitedInputStream(content.open(offset), length, content);
    }

    /** One gzip member of everything {@code in} holds. */
    private Buffer gzip(InputStream in) throws IOException {
        Buffer out = new Buffer();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out.outputStream(), crumbSize) {
            {
                def.setLevel(LEVEL);
            }
        }) {
            in.transferTo(gzip);
        }
        return out;
    }

    /** A chunk's gzip members, being deflated; the body, once they all are. */
    static final class CompressedChunk {
        private final List<Future<Buffer>> members;
        private RequestBody body;

        CompressedChunk(List<Future<Buffer>> members) {
            this.members = members;
        }

        /** Waits for every member; fails with what stopped one. */
        RequestBody body() throws IOException {
            if (body == null) {
                List<Buffer> done = new ArrayList<>(members.size());
                long size = 0;
                for (Future<Buffer> member : members) {
                    Buffer buffer = await(member);
                    done.add(buffer);
                    size += buffer.size();
                }
                body = new MembersBody(done, size);
            }
            return body;
        }

        void cancel() {
            members.forEach(m -> m.cancel(true));
        }

        private static Buffer await(Future<Buffer> member) throws IOException {
            try {
                return member.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while compressing");
            } catch (CancellationException e) {
                throw new IOException("compression was cancelled", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw new IOException(io.getMessage(), io);
                }
                if (cause instanceof UncheckedIOException io) {
                    throw new IOException(io.getMessage(), io.getCause());
                }
                throw new IOException("compression failed: " + cause, cause);
            }
        }
    }

    /** Compressed members, written without copying their bytes (Okio shares the segments) as often as asked. */
    private static final class MembersBody extends OctetBody {
        private final List<Buffer> members;

        MembersBody(List<Buffer> members, long size) {
            super(size);
            this.members = members;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            for (Buffer member : members) {
                Buffer shared = new Buffer();
                member.copyTo(shared, 0, member.size());
                sink.write(shared, shared.size());
            }
        }
    }

    /** A body of {@code length} bytes of application/octet-stream. */
    private abstract static class OctetBody extends RequestBody {
        private final long length;

        OctetBody(long length) {
            this.length = length;
        }

        @Override
        public MediaType contentType() {
            return OCTET_STREAM;
        }

        @Override
        public long contentLength() {
            return length;
        }
    }

    /** Reads each chunk from its offset; nothing is held beyond one crumb. */
    private static final class ContentChunks extends ChunkSource {
        private final MessageContent content;

        ContentChunks(MessageContent content, int chunkSize, int crumbSize) {
            super(content.length(), chunkSize, crumbSize, false);
            this.content = content;
        }

        @Override
        RequestBody body(int number) {
            long start = (long) (number - 1) * chunkSize;
            long chunkLength = chunkLength(number);
            return new OctetBody(chunkLength) {
                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                    byte[] crumb = new byte[crumbSize];
                    try (InputStream in = range(content, start, chunkLength)) {
                        for (int read; (read = in.read(crumb)) >= 0; ) {
                            sink.write(crumb, 0, read);
                        }
                    }
                }
            };
        }
    }

    /**
     * Reads each chunk from its offset and deflates it; asking for chunk n starts the deflating of chunk n + 1, so it
     * is ready, or nearly, once chunk n has uploaded. Holds chunks n and n + 1 compressed, nothing else.
     */
    private static final class CompressedContentChunks extends ChunkSource {
        private final MessageContent content;
        private final ExecutorService compressors;
        private final Map<Integer, CompressedChunk> chunks = new TreeMap<>();

        CompressedContentChunks(MessageContent content, int chunkSize, int crumbSize, ExecutorService compressors) {
            super(content.length(), chunkSize, crumbSize, true);
            this.content = content;
            this.compressors = compressors;
        }

        @Override
        RequestBody body(int number) throws IOException {
            for (Iterator<Map.Entry<Integer, CompressedChunk>> i = chunks.entrySet().iterator(); i.hasNext(); ) {
                Map.Entry<Integer, CompressedChunk> chunk = i.next();
                if (chunk.getKey() != number && chunk.getKey() != number + 1) {
                    chunk.getValue().cancel();
                    i.remove();
                }
            }
            CompressedChunk current = chunks.computeIfAbsent(number, this::start);
            if (number < count()) {
                chunks.computeIfAbsent(number + 1, this::start);
            }
            try {
                return current.body();
            } catch (IOException e) {
                chunks.remove(number); // asked again, it is read and deflated again
                throw e;
            }
        }

        private CompressedChunk start(int number) {
            return compress(compressors, (offset, n) -> range(content, offset, n), (long) (number - 1) * chunkSize,
                    chunkLength(number));
        }

        @Override
        public void close() {
            chunks.values().forEach(CompressedChunk::cancel);
            chunks.clear();
        }
    }

    /** Reads a stream once, holding the current chunk in memory so that it can be sent again. */
    private static final class StreamChunks extends ChunkSource {
        private final InputStream in;
        private final ExecutorService compressors;
        private int current;
        private RequestBody currentBody;

        StreamChunks(InputStream in, long length, int chunkSize, int crumbSize, boolean compress,
                ExecutorService compressors) {
            super(length, chunkSize, crumbSize, compress);
            this.in = in;
            this.compressors = compressors;
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
                    ? compress(compressors, (offset, n) -> new ByteArrayInputStream(bytes, (int) offset, (int) n), 0,
                            bytes.length).body()
                    : RequestBody.create(bytes, OCTET_STREAM);
            current = number;
            return currentBody;
        }
    }

    /** Exactly {@code limit} bytes of a stream; ending sooner is an error. */
    private static final class LimitedInputStream extends java.io.FilterInputStream {
        private final Object content;
        private long remaining;

        LimitedInputStream(InputStream in, long limit, Object content) {
            super(in);
            this.remaining = limit;
            this.content = content;
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
            if (read < 0) {
                throw new IOException("content shrank while being sent: " + content);
            }
            remaining -= read;
            return read;
        }
    }
}
