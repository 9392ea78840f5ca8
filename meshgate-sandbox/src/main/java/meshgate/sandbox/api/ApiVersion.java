package meshgate.sandbox.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The MESH API version a request asked for with its Accept header; v1 when it named none. */
public enum ApiVersion {
    V1("application/json"), V2("application/vnd.mesh.v2+json");

    private static final Pattern MESH_MEDIA_TYPE = Pattern.compile("^application/vnd\\.mesh\\.v(\\d+)\\+json$");

    /**
     * What MESH labels most v2 answers with (send, count, lookups, tracking by local id); only the inbox list and the
     * error bodies carry the versioned type.
     */
    public static final String PLAIN_JSON = "application/json";

    private final String mediaType;

    ApiVersion(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** Reads the Accept header; a malformed {@code vnd.mesh} type is a 400, as in MESH. */
    public static ApiVersion of(String accept) {
        if (accept == null) {
            return V1;
        }
        for (String entry : accept.split(",")) {
            String type = entry.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (!type.contains("vnd.mesh")) {
                continue;
            }
            Matcher m = MESH_MEDIA_TYPE.matcher(type);
            if (!m.matches()) {
                throw ApiError.mesh(400, "", "", "Accept header api format incorrect");
            }
            return "1".equals(m.group(1)) ? V1 : V2;
        }
        return V1;
    }
}
