package meshgate.sandbox.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One request as the endpoints see it: path parameters, headers, query, body, and the caller once authenticated. */
public final class Exchange {
    private final HttpServletRequest request;
    private final Map<String, String> query;
    private List<String> params = List.of();
    private String mailbox;

    public Exchange(HttpServletRequest request) {
        this.request = request;
        this.query = parseQuery(request.getQueryString());
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return request.getRequestURI();
    }

    /** The decoded path parameter at {@code index} (0-based, in the order of the route's groups). */
    public String param(int index) {
        return params.get(index);
    }

    /** A mailbox id from the path, upper-cased as MESH does. */
    public String mailboxParam(int index) {
        return param(index).trim().toUpperCase(Locale.ROOT);
    }

    /** A message id from the path, upper-cased as MESH does, so a client may send it in either case. */
    public String messageIdParam(int index) {
        return param(index).trim().toUpperCase(Locale.ROOT);
    }

    void params(List<String> values) {
        this.params = values;
    }

    /** The header's value, or null when absent. */
    public String header(String name) {
        return request.getHeader(name);
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public ApiVersion version() {
        return ApiVersion.of(header("Accept"));
    }

    /** The version to render an error in: v2 when the Accept header itself is the problem. */
    ApiVersion versionForErrors() {
        try {
            return version();
        } catch (ApiError e) {
            return ApiVersion.V2;
        }
    }

    public InputStream body() throws IOException {
        return request.getInputStream();
    }

    public boolean acceptsGzip() {
        String accept = header("Accept-Encoding");
        if (accept == null) {
            return false;
        }
        for (String entry : accept.split(",")) {
            String[] parts = entry.trim().split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip") || parts[0].trim().equals("*")) {
                return parts.length < 2 || !parts[1].replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    /** The authenticated mailbox, for the request log; null before authentication. */
    public String mailbox() {
        return mailbox;
    }

    void mailbox(String authenticated) {
        this.mailbox = authenticated;
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            values.putIfAbsent(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
        }
        return values;
    }

    static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
