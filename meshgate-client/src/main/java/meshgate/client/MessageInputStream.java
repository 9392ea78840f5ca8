package meshgate.client;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import meshgate.protocol.ChunkRange;
import meshgate.protocol.MeshHeaders;
import okhttp3.Response;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A received message's bytes as MESH holds them (gzip-encoded if sent so), read chunk after chunk. A connection lost
 * in the middle of a chunk is repaired by fetching that chunk again and skipping what was already read, so a reader
 * never sees a gap or a repeat.
 */
public final class MessageInputStream extends InputStream {
    private static final int MAX_RESUMES = 5;
    private final MeshClient client;
    private final String messageId;
    private final MessageMetadata metadata;
    private final int totalChunks;
    /** The last chunk this stream reads: the message's last, or the one chunk it was opened for. */
    private final int lastChunk;
    private int chunk;
    private Response response;
    private InputStream body;
    private long positionInChunk;
    private long chunkLength;
    private boolean closed;

    MessageInputStream(MeshClient client, String messageId, Response first) {
        this(client, messageId, MeshClient.metadataOf(first, messageId), 1, first, false);
    }

    /** Read from chunk {@code number} on, {@code response} being that chunk's; {@code metadata} is the message's. */
    MessageInputStream(MeshClient client, String messageId, MessageMetadata metadata, int number, Response response,
            boolean onlyThisChunk) {
        this.client = client;
        this.messageId = messageId;
        this.metadata = metadata;
        this.totalChunks = response.header(MeshHeaders.CHUNK_RANGE) == null
                ? 1 : ChunkRange.parseAnswered(response.header(MeshHeaders.CHUNK_RANGE)).total();
        this.lastChunk = onlyThisChunk ? number : totalChunks;
        open(number, response);
    }

    /** The chunk being read, from 1. */
    public int chunk() {
        return chunk;
    }


    public MessageMetadata metadata() {
        return metadata;
    }

    public int totalChunks() {
        return totalChunks;
    }

    /**
     * The content decoded: when the message travels gzip-encoded, its gzip members (one per chunk, or one stream cut
     * across chunks) are decompressed; otherwise this stream itself. Closing either closes both.
     */
    public InputStream decoded(int bufferSize) throws IOException {
        return decoded(bufferSize, Long.MAX_VALUE);
    }

    /**
     * As {@link #decoded(int)}, but a gzip-encoded message that decodes to more than {@code maxDecodedSize} bytes
     * fails with {@link DecodedSizeExceededException} once the limit is passed: a few kilobytes of gzip can decode to
     * terabytes. Content that is not gzip-encoded is as large as MESH holds it, and is not limited here.
     */
    public InputStream decoded(int bufferSize, long maxDecodedSize) throws IOException {
        if (maxDecodedSize < 0) {
            throw new IllegalArgumentException("maxDecodedSize must not be negative, got " + maxDecodedSize);
        }
        if (!metadata.isGzipEncoded()) {
            return this;
        }
        InputStream gzip = new GzipCompressorInputStream(new BufferedInputStream(this, bufferSize), true);
        return maxDecodedSize == Long.MAX_VALUE ? gzip : new Bounded(gzip, messageId, maxDecodedSize);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /**
     * Reads up to {@code len} bytes, filling {@code b} as far as the current chunk allows rather than returning each
     * network read (a few kilobytes) on its own, so a caller writes in large pieces.
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        int filled = 0;
        while (filled < len) {
            int read;
            try {
                read = body.read(b, off + filled, len - filled);
            } catch (IOException lost) {
                if (filled > 0) {
                    return filled;
                }
                reopenAfter(lost);
                continue;
            }
            if (read > 0) {
                positionInChunk += read;
                filled += read;
                continue;
            }
            if (filled > 0) {
                return filled;
            }
            if (chunkLength >= 0 && positionInChunk < chunkLength) {
                reopenAfter(new IOException("chunk " + chunk + " ended after " + positionInChunk + " of "
                        + chunkLength + " bytes"));
                continue;
            }
            if (chunk >= lastChunk) {
                return -1;
            }
            open(chunk + 1, client.fetchChunk(messageId, chunk + 1));
            MeshClient.LOG.info("mesh_download_chunk message_id={} chunk={}/{}", messageId, chunk, totalChunks);
        }
        return filled;
    }

    private void open(int number, Response next) {
        closeResponse();
        this.chunk = number;
        this.response = next;
        // The socket's own read timeout (SO_TIMEOUT, which OkHttp sets to the client's read timeout) still ends a
        // read from a peer gone silent. Okio's watchdog timeout on top of it costs a lock and a thread signal for
        // every few kilobytes read, a sixth of a download's CPU, so it is switched off for this body.
        next.body().source().timeout().timeout(0, TimeUnit.MILLISECONDS);
        this.body = next.body().byteStream();
        this.chunkLength = next.body().contentLength();
        this.positionInChunk = 0;
    }

    private void reopenAfter(IOException lost) throws IOException {
        long skip = positionInChunk;
        int number = chunk;
        for (int attempt = 1; ; attempt++) {
            MeshClient.LOG.info("mesh_download_resume message_id={} chunk={} offset={} attempt={} reason=\"{}\"",
                    messageId, number, skip, attempt, lost.getMessage());
            try {
                open(number, client.fetchChunk(messageId, number));
                body.skipNBytes(skip);
                positionInChunk = skip;
                return;
            } catch (MeshException e) {
                e.addSuppressed(lost);
                throw new IOException("chunk " + number + " of message " + messageId + " could not be fetched again", e);
            } catch (IOException again) {
                if (attempt >= MAX_RESUMES) {
                    again.addSuppressed(lost);
                    throw again;
                }
                lost = again;
            }
        }
    }

    private void closeResponse() {
        if (response != null) {
            response.close();
            response = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        closeResponse();
    }

    /** Passes decoded bytes through until more than {@code limit} have come, then fails instead. */
    private static final class Bounded extends FilterInputStream {
        private final String messageId;
        private final long limit;
        private long count;

        Bounded(InputStream in, String messageId, long limit) {
            super(in);
            this.messageId = messageId;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            // Asks for at most one byte past the limit: enough to tell "exactly the limit" from "more".
            int read = in.read(b, off, (int) Math.min(len, limit - count + 1));
            if (read > 0) {
                count += read;
                if (count > limit) {
                    throw new DecodedSizeExceededException(messageId, limit);
                }
            }
            return read;
        }

        /** Skipped bytes are decoded bytes too, and count toward the limit. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            long skipped = 0;
            for (int read; skipped < n
                    && (read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped))) >= 0; ) {
                skipped += read;
            }
            return skipped;
        }
    }
}
