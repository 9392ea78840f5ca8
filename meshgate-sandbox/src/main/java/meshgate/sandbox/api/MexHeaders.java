package meshgate.sandbox.api;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import meshgate.protocol.MeshHeaders;

/** Validation of the mex-* headers of a send, with MESH's limits. */
final class MexHeaders {
    private static final Set<String> TRUE = Set.of("y", "yes", "t", "true", "on", "1");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern CHECKSUM = Pattern.compile("[A-Za-z0-9\\s:/\\-]*");
    private static final String[][] LIMITS = {
        {MeshHeaders.TO, "100"}, {MeshHeaders.WORKFLOW_ID, "300"}, {MeshHeaders.FILE_NAME, "300"},
        {MeshHeaders.CHUNK_RANGE, "20"}, {MeshHeaders.LOCAL_ID, "300"}, {MeshHeaders.SUBJECT, "500"},
        {"mex-partnerid", "500"}, {MeshHeaders.CONTENT_CHECKSUM, "100"}, {"mex-content-type", "100"},
        {MeshHeaders.CONTENT_ENCRYPTED, "20"}, {MeshHeaders.CONTENT_COMPRESSED, "20"},
    };
    /** How the public sandbox describes a header it refuses as malformed (its code-map text is not used there). */
    private static final String MALFORMED = "MalformedControlFile";

    private MexHeaders() {
    }

    /** Required header: 400 when missing. */
    static String required(Exchange exchange, String name) {
        String value = exchange.header(name);
        if (value == null) {
            throw ApiError.invalid("header", name, "field required");
        }
        return value;
    }

    /** Lengths, control characters, URLs where ids belong, and checksum characters, as MESH checks them. */
    static void validateSend(Exchange exchange) {
        for (String[] limit : LIMITS) {
            String value = exchange.header(limit[0]);
            if (value != null && value.length() > Integer.parseInt(limit[1])) {
                throw ApiError.invalid("header", limit[0], "ensure this value has at most " + limit[1] + " characters");
            }
            if (value != null && CONTROL.matcher(value).find()) {
                throw ApiError.mesh(400, "TRANSFER", "06", MALFORMED);
            }
        }
        for (String name : new String[] {MeshHeaders.TO, MeshHeaders.WORKFLOW_ID, MeshHeaders.CONTENT_CHECKSUM}) {
            String value = exchange.header(name);
            if (value != null && value.trim().toLowerCase(Locale.ROOT).matches("^https?://.*")) {
                throw ApiError.mesh(400, "TRANSFER", "06", MALFORMED);
            }
        }
        String checksum = exchange.header(MeshHeaders.CONTENT_CHECKSUM);
        if (checksum != null && !CHECKSUM.matcher(checksum).matches()) {
            throw ApiError.mesh(400, "SEND", "Invalid checksum", "Invalid checksum");
        }
    }

    /** A MESH flag header (Y and friends); false when absent, N, or not a recognised flag. */
    static boolean flag(Exchange exchange, String name) {
        String value = exchange.header(name);
        if (value == null || value.isBlank()) {
            return false;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(v)) {
            return true;
        }
        // MESH reads anything it does not recognise (e.g. N/A, which MESH's own client sends) as unset.
        return false;
    }

    /** Content-Encoding of an upload: null or gzip; anything else is a 422. */
    static String contentEncoding(Exchange exchange) {
        String value = exchange.header(MeshHeaders.CONTENT_ENCODING);
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("identity")) {
            return null;
        }
        if (!value.trim().equalsIgnoreCase("gzip")) {
            throw ApiError.unsupportedEncoding();
        }
        return "gzip";
    }

    static String trimmedOrNull(Exchange exchange, String name) {
        String value = exchange.header(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
