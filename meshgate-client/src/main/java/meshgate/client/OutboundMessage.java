package meshgate.client;

import java.util.Objects;
import java.util.Optional;

/**
 * What MESH needs to route a message, besides its content: the recipient mailbox and workflow id, and the optional
 * control fields. {@code compress} asks for gzip transport compression ({@code Content-Encoding: gzip});
 * {@code contentCompressed} and {@code contentEncrypted} only tell the recipient about the payload itself.
 */
public record OutboundMessage(
        String to,
        String workflowId,
        Optional<String> subject,
        Optional<String> localId,
        Optional<String> fileName,
        Optional<String> contentType,
        Optional<String> contentChecksum,
        boolean contentCompressed,
        boolean contentEncrypted,
        boolean compress,
        boolean alreadyGzipEncoded,
        Optional<String> partnerId) {

    public OutboundMessage {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(localId, "localId");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(contentChecksum, "contentChecksum");
        Objects.requireNonNull(partnerId, "partnerId");
    }

    public static Builder to(String recipientMailbox, String workflowId) {
        return new Builder(recipientMailbox, workflowId);
    }

    OutboundMessage withLocalId(String id) {
        return new OutboundMessage(to, workflowId, subject, Optional.of(id), fileName, contentType, contentChecksum,
                contentCompressed, contentEncrypted, compress, alreadyGzipEncoded, partnerId);
    }

    /** True when the content travels with {@code Content-Encoding: gzip}, compressed here or already. */
    public boolean gzipEncoded() {
        return compress || alreadyGzipEncoded;
    }

    OutboundMessage withCompression() {
        return new OutboundMessage(to, workflowId, subject, localId, fileName, contentType, contentChecksum,
                contentCompressed, contentEncrypted, true, false, partnerId);
    }

    public static final class Builder {
        private final String to;
        private final String workflowId;
        private String subject;
        private String localId;
        private String fileName;
        private String contentType;
        private String contentChecksum;
        private boolean contentCompressed;
        private boolean contentEncrypted;
        private boolean compress;
        private boolean alreadyGzipEncoded;
        private String partnerId;

        private Builder(String to, String workflowId) {
            this.to = to;
            this.workflowId = workflowId;
        }

        public Builder subject(String value) {
            this.subject = value;
            return this;
        }

        public Builder localId(String value) {
            this.localId = value;
            return this;
        }

        public Builder fileName(String value) {
            this.fileName = value;
            return this;
        }

        public Builder contentType(String value) {
            this.contentType = value;
            return this;
        }

        /** {@code mex-partnerid}: passed through MESH to the recipient untouched. */
        public Builder partnerId(String value) {
            this.partnerId = value;
            return this;
        }

        public Builder contentChecksum(String value) {
            this.contentChecksum = value;
            return this;
        }

        public Builder contentCompressed(boolean value) {
            this.contentCompressed = value;
            return this;
        }

        public Builder contentEncrypted(boolean value) {
            this.contentEncrypted = value;
            return this;
        }

        /** gzip each chunk on the way out, one gzip member per chunk, as MESH's own clients do. */
        public Builder compress(boolean value) {
            this.compress = value;
            return this;
        }

        /**
         * The content is already gzip-encoded (e.g. stored with {@code Content-Encoding: gzip}): it is sent as it is,
         * with {@code Content-Encoding: gzip}, and not compressed again.
         */
        public Builder alreadyGzipEncoded(boolean value) {
            this.alreadyGzipEncoded = value;
            return this;
        }

        public OutboundMessage build() {
            if (compress && alreadyGzipEncoded) {
                throw new IllegalArgumentException("content that is already gzip-encoded is not compressed again");
            }
            return new OutboundMessage(to, workflowId, Optional.ofNullable(subject), Optional.ofNullable(localId),
                    Optional.ofNullable(fileName), Optional.ofNullable(contentType),
                    Optional.ofNullable(contentChecksum), contentCompressed, contentEncrypted, compress,
                    alreadyGzipEncoded, Optional.ofNullable(partnerId));
        }
    }
}
