package meshgate.gateway.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code MeshGate-Signature} header of a webhook request: {@code t=<unix seconds>,v1=<hex>}, where the hex is
 * HMAC-SHA256, keyed with the signing secret, over the timestamp, a dot and the exact body. Signing the timestamp
 * with the body lets a receiver refuse a request replayed outside its tolerance window (docs/security.md).
 */
public final class WebhookSignature {
    public static final String HEADER = "MeshGate-Signature";

    private WebhookSignature() {
    }

    public static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
    }

    private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
