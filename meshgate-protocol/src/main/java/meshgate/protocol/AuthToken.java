package meshgate.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MESH authorisation token: {@code NHSMESH {mailbox}:{nonce}:{nonce_count}:{timestamp}:{hmac}}, where the
 * timestamp is {@code yyyyMMddHHmm} in UTC and the hmac is the lower-case hex HMAC-SHA256, keyed with the
 * environment's shared key, of {@code {mailbox}:{nonce}:{nonce_count}:{password}:{timestamp}}.
 */
public record AuthToken(String mailbox, String nonce, String nonceCount, String timestamp, String hmac) {
    public static final String SCHEME = "NHSMESH";
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

    /** A token for one request; {@code nonce} must be fresh for each request. */
    public static AuthToken create(String mailbox, String password, String sharedKey, String nonce, long nonceCount,
            Instant now) {
        String timestamp = TIMESTAMP.format(now);
        String count = Long.toString(nonceCount);
        return new AuthToken(mailbox, nonce, count, timestamp, hmac(sharedKey, mailbox, nonce, count, password, timestamp));
    }

    /** Parses an Authorization header value; throws {@link IllegalArgumentException} saying what is wrong. */
    public static AuthToken parse(String header) {
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("missing Authorization header");
        }
        String value = header.trim();
        if (!value.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            throw new IllegalArgumentException("Authorization scheme must be " + SCHEME);
        }
        String[] parts = value.substring(SCHEME.length() + 1).trim().split(":", -1);
        if (parts.length != 5) {
            throw new IllegalArgumentException("Authorization token must have 5 ':'-separated parts");
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("Authorization token has an empty part");
            }
        }
        return new AuthToken(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    public String header() {
        return SCHEME + " " + mailbox + ":" + nonce + ":" + nonceCount + ":" + timestamp + ":" + hmac;
    }

    /** True when the hmac matches the mailbox's password under the shared key (compared in constant time). */
    public boolean matches(String password, String sharedKey) {
        String expected = hmac(sharedKey, mailbox, nonce, nonceCount, password, timestamp);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), hmac.getBytes(StandardCharsets.US_ASCII));
    }

    /** The token's timestamp as an instant; throws {@link IllegalArgumentException} when it is not yyyyMMddHHmm. */
    public Instant instant() {
        try {
            return Instant.from(TIMESTAMP.parse(timestamp, java.time.LocalDateTime::from).atOffset(ZoneOffset.UTC));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Authorization timestamp must be yyyyMMddHHmm", e);
        }
    }

    @Override
    public String toString() {
        return "AuthToken[mailbox=" + mailbox + ", nonce=" + nonce + ", timestamp=" + timestamp + "]";
    }

    static String hmac(String sharedKey, String mailbox, String nonce, String nonceCount, String password,
            String timestamp) {
        String message = mailbox + ":" + nonce + ":" + nonceCount + ":" + password + ":" + timestamp;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sharedKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
