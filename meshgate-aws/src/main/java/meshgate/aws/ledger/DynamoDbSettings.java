package meshgate.aws.ledger;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the DynamoDB ledger lives: its {@code table}, the AWS {@code region} and, for tests or a local server, an
 * {@code endpoint}; whether to create the table when it is missing; how long finished records are kept before
 * DynamoDB's TTL deletes them ({@link Duration#ZERO}: kept for ever). Credentials are the SDK's default chain unless
 * both keys are given.
 */
public record DynamoDbSettings(String table, Optional<String> region, Optional<URI> endpoint, boolean createTable,
        Duration retention, Optional<String> accessKeyId, Optional<String> secretAccessKey) {
    /** The settings under {@code ledger:} when {@code type} is {@code dynamodb}. */
    public static final Set<String> NAMES = Set.of("table", "region", "endpoint", "create_table", "retention_days",
            "access_key_id", "secret_access_key");
    /** Of {@link #NAMES}, the secrets. */
    public static final Set<String> SECRETS = Set.of("access_key_id", "secret_access_key");
    /** Finished records are kept this long by default: long enough to answer questions about last quarter. */
    public static final int DEFAULT_RETENTION_DAYS = 180;
    private static final java.util.regex.Pattern TABLE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    public DynamoDbSettings {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    /** A table reached through the SDK's defaults, expected to exist, with the default retention. */
    public static DynamoDbSettings table(String table) {
        return new DynamoDbSettings(table, Optional.empty(), Optional.empty(), false,
                Duration.ofDays(DEFAULT_RETENTION_DAYS), Optional.empty(), Optional.empty());
    }

    /**
     * Reads the settings by name, as the gateway's configuration gives them.
     *
     * @throws IllegalArgumentException naming the setting at fault, e.g. {@code "table: is required"}
     */
    public static DynamoDbSettings from(Map<String, String> settings) {
        String table = text(settings, "table").orElseThrow(() -> new IllegalArgumentException(
                "table: is required when type is dynamodb, e.g. meshgate-ledger"));
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("table: '" + table + "' is not a DynamoDB table name (3 to 255 of "
                    + "A-Z a-z 0-9 _ - .)");
        }
        Optional<URI> endpoint = text(settings, "endpoint").map(DynamoDbSettings::uri);
        boolean create = text(settings, "create_table").map(DynamoDbSettings::bool).orElse(false);
        Duration retention = Duration.ofDays(text(settings, "retention_days").map(DynamoDbSettings::days)
                .orElse((long) DEFAULT_RETENTION_DAYS));
        Optional<String> keyId = text(settings, "access_key_id");
        Optional<String> secret = text(settings, "secret_access_key");
        if (keyId.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException("access_key_id: give access_key_id and secret_access_key together, "
                    + "or neither (the AWS default credential chain is then used)");
        }
        return new DynamoDbSettings(table, text(settings, "region"), endpoint, create, retention, keyId, secret);
    }

    private static Optional<String> text(Map<String, String> settings, String name) {
        return Optional.ofNullable(settings.get(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static URI uri(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint: '" + text + "' is not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint: '" + text + "' is not a URL");
        }
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("create_table: must be true or false, got '" + text + "'");
        };
    }

    private static long days(String text) {
        try {
            long days = Long.parseLong(text);
            if (days < 0) {
                throw new NumberFormatException();
            }
            return days;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("retention_days: must be a whole number of days, 0 to keep records "
                    + "for ever, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return "DynamoDbSettings[table=" + table + ", region=" + region.orElse("(default)") + ", endpoint="
                + endpoint.map(URI::toString).orElse("(default)") + ", createTable=" + createTable + ", retention="
                + retention + "]";
    }
}
