package meshgate.sandbox.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import meshgate.sandbox.store.MessageEnvelope;
import meshgate.sandbox.store.MessageState;
import meshgate.sandbox.store.MessageStore;
import meshgate.sandbox.store.StoredMessage;

/**
 * The response to a message download or HEAD: MESH's mex-* headers and the chunk's bytes as stored. A gzip-stored
 * chunk is sent gzip-encoded when the client accepts gzip, and decompressed on the fly (without Content-Length)
 * otherwise.
 */
final class DownloadReply {
    private static final String OCTET_STREAM = "application/octet-stream";
    static final DateTimeFormatter STATUS_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private DownloadReply() {
    }

    /** A download: with {@code gzipOnTheFly}, a plain-stored chunk goes gzip-encoded to a v2 client accepting gzip. */
    static Reply of(MessageStore store, StoredMessage message, int chunk, Exchange ex, boolean gzipOnTheFly) {
        boolean compress = gzipOnTheFly && ex.version() == ApiVersion.V2 && ex.acceptsGzip()
                && !message.envelope().gzipped() && !message.envelope().isReport();
        return of(store, message, chunk, ex.acceptsGzip(), ex.version(), compress);
    }

    /**
     * v2 answers with the sender's content type as Content-Type (v1 with octet-stream); both carry it as
     * mex-content-type, and mex-total-chunks always, as MESH does. A gzip-encoded answer, as stored or compressed
     * here, says {@code mex-content-compressed: Y}, as MESH's does.
     */
    static Reply of(MessageStore store, StoredMessage message, int chunk, boolean acceptsGzip, ApiVersion version,
            boolean compress) {
        MessageEnvelope e = message.envelope();
        boolean decompress = e.gzipped() && !acceptsGzip;
        int total = e.totalChunks();
        Reply reply = new Reply(chunk < total ? 206 : 200, new java.util.LinkedHashMap<>(),
                body(store, e.messageId(), chunk, decompress, compress));
        String contentType = e.contentType() == null ? OCTET_STREAM : e.contentType();
        reply.header("Content-Type", version == ApiVersion.V1 ? OCTET_STREAM : contentType)
                .header("Mex-From", e.sender())
                .header("Mex-To", e.recipient())
                .header("Mex-WorkflowID", e.workflowId())
                .header("Mex-Chunk-Range", chunk + ":" + total)
                .header("Mex-Total-Chunks", Integer.toString(total))
                .header("Mex-AddressType", "ALL")
                .header("Mex-LocalID", e.localId())
                .header("Mex-PartnerID", e.partnerId())
                .header("Mex-FileName", e.fileName())
                .header("Mex-Subject", e.subject())
                .header("Mex-Version", "1.0")
                .header("Mex-MessageType", e.messageType())
                .header("Mex-MessageID", e.messageId())
                .header("Mex-Content-Type", contentType)
                .header("Mex-Content-Checksum", e.checksum())
                .header("Mex-Content-Encrypted", e.encrypted() ? "Y" : null)
                .header("Mex-Content-Compressed", e.compressed() || compress || (e.gzipped() && !decompress) ? "Y"
                        : null)
                .header("Content-Encoding", compress ? "gzip" : decompress ? null : e.contentEncoding())
                .header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        lastModified(message).atOffset(ZoneOffset.UTC)));
        statusHeaders(reply, message);
        return reply;
    }

    private static void statusHeaders(Reply reply, StoredMessage message) {
        MessageState s = message.state();
        if (!message.envelope().isReport() && s.statusCode() == null) {
            reply.header("Mex-StatusCode", "00")
                    .header("Mex-StatusEvent", "TRANSFER")
                    .header("Mex-StatusDescription", "Transferred to recipient mailbox")
                    .header("Mex-StatusSuccess", "SUCCESS")
                    .header("Mex-StatusTimestamp", time(s.acceptedAt()));
            return;
        }
        reply.header("Mex-LinkedMsgID", message.envelope().linkedMessageId())
                .header("Mex-StatusCode", s.statusCode())
                .header("Mex-StatusEvent", s.statusEvent())
                .header("Mex-StatusDescription", s.statusDescription())
                .header("Mex-StatusSuccess", "ERROR")
                .header("Mex-StatusTimestamp", time(s.statusTimestamp()));
    }

    private static Instant lastModified(StoredMessage message) {
        Instant accepted = message.state().acceptedAt();
        return accepted != null ? accepted : message.envelope().uploadedAt();
    }

    private static String time(Instant instant) {
        return instant == null ? null : STATUS_TIME.format(instant);
    }

    private static final int BUFFER = 64 * 1024;

    private static ReplyBody body(MessageStore store, String messageId, int chunk, boolean decompress,
            boolean compress) {
        long size = store.chunkSize(messageId, chunk);
        return new ReplyBody() {
            @Override
            public long length() {
                return decompress || compress ? -1 : size;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                if (compress) {
                    GZIPOutputStream gzip = new GZIPOutputStream(new NonClosing(out), BUFFER);
                    copy(store, messageId, chunk, false, gzip);
                    gzip.close();
                    return;
                }
                copy(store, messageId, chunk, decompress, out);
            }
        };
    }

    private static void copy(MessageStore store, String messageId, int chunk, boolean decompress, OutputStream out)
            throws IOException {
        try (InputStream in = store.openChunk(messageId, chunk)) {
            InputStream source = decompress ? new GZIPInputStream(in, BUFFER) : in;
            // Large writes: each becomes a few full TLS records rather than many small ones.
            byte[] buffer = new byte[BUFFER];
            for (int read; (read = source.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
            }
        }
    }

    /** Lets a gzip stream be closed without closing the response under it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
