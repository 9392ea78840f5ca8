package meshgate.gateway.outbound;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import meshgate.gateway.config.OutboundMapping;

/**
 * How to send one outbound object, from its {@code mex-*} metadata or, where {@code mex-from} is absent, from the first
 * outbound mapping whose prefix its key starts with. Metadata names are case-insensitive; values are URL-decoded as
 * Python's {@code quote_plus} encodes them ({@code +} is a space), which is how S3 users already write them.
 */
public record SendParameters(
        String from,
        String to,
        String workflowId,
        Optional<String> subject,
        Optional<String> localId,
        Optional<String> fileName,
        Optional<String> contentType,
        Optional<String> contentEncoding,
        Optional<String> contentChecksum,
        boolean contentCompressed,
        boolean contentEncrypted,
        Optional<Boolean> compressRequested,
        Optional<String> partnerId) {

    /** MESH's limits on header lengths; longer values are refused here rather than by MESH mid-send. */
    private static final Map<String, Integer> MAX_LENGTH = Map.of(
            "mex-from", 100, "mex-to", 100, "mex-workflowid", 300, "mex-subject", 500, "mex-localid", 300,
            "mex-filename", 300, "mex-content-checksum", 100, "content-type", 200, "mex-partnerid", 500);
    private static final Set<String> HONOURED = Set.of("mex-from", "mex-to", "mex-workflowid", "mex-subject",
            "mex-localid", "mex-filename", "mex-content-compress", "mex-content-compressed", "mex-content-encrypted",
            "mex-content-checksum", "content-type", "content-encoding", "mex-partnerid");

    /**
     * Resolves the parameters of {@code key} from its metadata, the mappings and the gateway's own mailboxes.
     *
     * @param keyFileName the key's last segment, sent as mex-filename only when {@code useKeyForFileName}
     */
    public static SendParameters resolve(String key, String keyFileName, Map<String, String> metadata,
            List<OutboundMapping> mappings, Set<String> ownMailboxes, boolean useKeyForFileName)
            throws UnsendableException {
        Map<String, String> mex = decode(metadata);
        Optional<String> from = value(mex, "mex-from");
        String sender;
        Optional<String> to = value(mex, "mex-to");
        Optional<String> workflow = value(mex, "mex-workflowid");
        if (from.isPresent()) {
            sender = from.get();
        } else {
            OutboundMapping mapping = mappings.stream().filter(m -> key.startsWith(m.prefix())).findFirst()
                    .orElseThrow(() -> new UnsendableException("no mex-from in the metadata and no outbound mapping "
                            + "for this key"));
            sender = mapping.mexFrom();
            to = to.or(() -> Optional.ofNullable(mapping.mexTo()));
            workflow = workflow.or(() -> Optional.ofNullable(mapping.mexWorkflowId()));
        }
        sender = sender.trim().toUpperCase(Locale.ROOT);
        if (!ownMailboxes.contains(sender)) {
            throw new UnsendableException("mex-from " + sender + " is not a mailbox of this gateway (configured: "
                    + String.join(", ", new java.util.TreeSet<>(ownMailboxes)) + ")");
        }
        String recipient = to.map(String::trim).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new UnsendableException("missing recipient: no mex-to in the metadata or mapping"))
                .toUpperCase(Locale.ROOT);
        String workflowId = workflow.map(String::trim).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new UnsendableException("missing workflow: no mex-workflowid in the metadata or "
                        + "mapping"));
        Optional<String> fileName = value(mex, "mex-filename")
                .or(() -> useKeyForFileName ? Optional.of(keyFileName) : Optional.empty());
        Optional<String> encoding = value(mex, "content-encoding").map(v -> v.trim().toLowerCase(Locale.ROOT));
        if (encoding.isPresent() && !encoding.get().equals("gzip")) {
            throw new UnsendableException("Content-Encoding '" + encoding.get() + "' cannot be sent: MESH accepts "
                    + "gzip only");
        }
        return new SendParameters(sender, recipient, workflowId, value(mex, "mex-subject"), value(mex, "mex-localid"),
                fileName, value(mex, "content-type"), encoding, value(mex, "mex-content-checksum"),
                flag(mex, "mex-content-compressed").orElse(false), flag(mex, "mex-content-encrypted").orElse(false),
                flag(mex, "mex-content-compress"), value(mex, "mex-partnerid"));
    }

    /** Lower-cases names, URL-decodes values, and checks what MESH would refuse. */
    static Map<String, String> decode(Map<String, String> metadata) throws UnsendableException {
        Map<String, String> decoded = new TreeMap<>();
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String name = entry.getKey().trim().toLowerCase(Locale.ROOT);
            if (!HONOURED.contains(name)) {
                continue;
            }
            String value;
            try {
                value = URLDecoder.decode(entry.getValue(), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new UnsendableException("metadata " + name + " cannot be URL-decoded: " + e.getMessage());
            }
            if (value.indexOf('\uFFFD') >= 0 && entry.getValue().indexOf('\uFFFD') < 0) {
                throw new UnsendableException("metadata " + name + " cannot be URL-decoded: its bytes are not UTF-8");
            }
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new UnsendableException("metadata " + name + " contains control characters");
            }
            Integer max = MAX_LENGTH.get(name);
            if (max != null && value.length() > max) {
                throw new UnsendableException("metadata " + name + " is " + value.length() + " characters long; MESH "
                        + "allows at most " + max);
            }
            if (decoded.put(name, value) != null) {
                throw new UnsendableException("metadata " + name + " is given twice (names are case-insensitive)");
            }
        }
        return decoded;
    }

    private static Optional<String> value(Map<String, String> mex, String name) {
        return Optional.ofNullable(mex.get(name)).filter(v -> !v.isBlank());
    }

    private static Optional<Boolean> flag(Map<String, String> mex, String name) throws UnsendableException {
        Optional<String> value = value(mex, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return switch (value.get().trim().toLowerCase(Locale.ROOT)) {
            case "y", "yes", "true", "t", "on", "1" -> Optional.of(true);
            case "n", "no", "false", "f", "off", "0" -> Optional.of(false);
            default -> throw new UnsendableException("metadata " + name + " must be Y or N, got '" + value.get() + "'");
        };
    }
}
