package meshgate.client;

import java.net.URI;
import java.util.Locale;

/**
 * The MESH environments NHS England runs, by the internet-facing base URLs of the MESH API, plus the local sandbox.
 * Any other base URL can be given directly to {@link MeshClient.Builder#baseUrl(URI)}.
 */
public enum MeshEnvironment {
    /** MeshGate's or the official sandbox on this machine. */
    LOCAL_SANDBOX("https://localhost:8700"),
    /** Path to Live integration (INT), internet-facing. */
    INTEGRATION("https://msg.intspineservices.nhs.uk"),
    /** Deployment (DEP), internet-facing. */
    DEPLOYMENT("https://msg.depspineservices.nhs.uk"),
    /** Live, internet-facing. */
    PRODUCTION("https://mesh-sync.spineservices.nhs.uk"),
    /** Integration over HSCN (being retired by NHS England). */
    INTEGRATION_HSCN("https://msg.int.spine2.ncrs.nhs.uk"),
    /** Live over HSCN (being retired by NHS England). */
    PRODUCTION_HSCN("https://mesh-sync.national.ncrs.nhs.uk");

    private final URI baseUrl;

    MeshEnvironment(String baseUrl) {
        this.baseUrl = URI.create(baseUrl);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Resolves a setting value that names an environment ({@code local}, {@code integration}, {@code int},
     * {@code deployment}, {@code production}, {@code live}, ...) or is itself an {@code http(s)://} URL.
     */
    public static URI resolve(String nameOrUrl) {
        String value = nameOrUrl.trim();
        if (value.regionMatches(true, 0, "http://", 0, 7) || value.regionMatches(true, 0, "https://", 0, 8)) {
            return URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        }
        return switch (value.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "local", "local_sandbox", "sandbox" -> LOCAL_SANDBOX.baseUrl;
            case "integration", "int", "ptl" -> INTEGRATION.baseUrl;
            case "deployment", "dep" -> DEPLOYMENT.baseUrl;
            case "production", "prod", "live" -> PRODUCTION.baseUrl;
            case "integration_hscn", "int_hscn" -> INTEGRATION_HSCN.baseUrl;
            case "production_hscn", "live_hscn" -> PRODUCTION_HSCN.baseUrl;
            default -> throw new IllegalArgumentException("unknown MESH environment '" + nameOrUrl
                    + "': use local, integration, deployment, production, or an https:// URL");
        };
    }
}
