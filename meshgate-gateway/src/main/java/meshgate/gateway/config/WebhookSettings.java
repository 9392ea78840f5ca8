package meshgate.gateway.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where events are POSTed and how the gateway proves itself to the receiver: an {@code Authorization} header value
 * and a key that signs each request ({@code MeshGate-Signature}). The URL may itself hold credentials (user info,
 * a query string), so only {@link #redactedUrl} is ever shown.
 */
public record WebhookSettings(URI url, Optional<Secret> authorization, Optional<Secret> signingSecret) {
    public WebhookSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(signingSecret, "signingSecret");
    }

    public WebhookSettings(URI url) {
        this(url, Optional.empty(), Optional.empty());
    }

    /** {@code scheme://host:port/path}: without user info, query or fragment, which may hold credentials. */
    public String redactedUrl() {
        return redact(url);
    }

    public static String redact(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    @Override
    public String toString() {
        return "WebhookSettings[url=" + redactedUrl() + ", authorization=" + authorization.map(s -> "***")
                .orElse("none") + ", signingSecret=" + signingSecret.map(s -> "***").orElse("none") + "]";
    }
}
