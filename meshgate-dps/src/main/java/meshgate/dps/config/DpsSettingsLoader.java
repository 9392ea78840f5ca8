package meshgate.dps.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshgate.dps.export.ExportSettings;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.config.MailboxConfig;
import meshgate.gateway.config.Secret;

/**
 * Reads the DPS settings file (YAML). The MESH connection comes from the gateway's own configuration file, named by
 * {@code mesh_config}, so certificates and secrets are set in one place. Every problem is a {@link ConfigException}
 * naming the setting; {@code docs/dps.md} is the reference.
 */
public final class DpsSettingsLoader {
    /** Turns the jobs on or off whatever the file says. */
    public static final String MESH_JOBS_VARIABLE = "MESHGATE_DPS_MESH_JOBS";

    private static final Set<String> TOP_LEVEL = Set.of("mesh_config", "mailbox", "dps_mailbox", "workflow_id",
            "programmes", "unique_id_uri", "time_zone", "source", "ledger_path", "work_dir", "mesh_jobs",
            "validate_interval", "export_time", "tracking_interval");
    private static final Set<String> SOURCE = Set.of("type", "path", "url", "table", "user", "password");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
    private static final Pattern MAILBOX_ID = Pattern.compile("[A-Z0-9]+");
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    private DpsSettingsLoader() {
    }

    public static DpsSettings load(Path yamlFile, Map<String, String> environment) {
        Path file = yamlFile.toAbsolutePath().normalize();
        try {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("DPS settings file " + file + " does not exist");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException("DPS settings file " + file + " is larger than 1 MiB");
            }
            return read(parse(Files.readString(file, StandardCharsets.UTF_8)), file.getParent(), environment);
        } catch (IOException e) {
            throw new ConfigException("cannot read DPS settings file " + file + ": " + e.getMessage(), e);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The gateway settings file that {@code mesh_config} names, read before anything else so that the meshgate
     * command can set up its log from that file's {@code logging:}. Throws as {@link #load} would.
     */
    public static Path meshConfigFile(Path yamlFile) {
        Path file = yamlFile.toAbsolutePath().normalize();
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException("DPS settings file " + file + " does not exist or is larger than 1 MiB");
            }
            Settings top = new Settings(parse(Files.readString(file, StandardCharsets.UTF_8)), "", TOP_LEVEL);
            return file.getParent().resolve(top.required("mesh_config")).normalize();
        } catch (IOException e) {
            throw new ConfigException("cannot read DPS settings file " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String yaml) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(yaml);
            return root == null || root.isMissingNode() || root.isNull()
                    ? new ObjectMapper().createObjectNode() : root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException("not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    private static DpsSettings read(JsonNode root, Path baseDir, Map<String, String> environment) {
        Settings top = new Settings(root, "", TOP_LEVEL);
        Path meshConfig = baseDir.resolve(top.required("mesh_config")).normalize();
        GatewayConfig mesh = GatewayConfigLoader.load(meshConfig, environment);
        MailboxConfig mailbox = top.text("mailbox")
                .map(id -> mesh.mailbox(id).orElseThrow(() -> top.fail("mailbox", "is not one of the mailboxes in "
                        + meshConfig + " " + mesh.mailboxes().stream().map(MailboxConfig::mailboxId).toList())))
                .orElseGet(() -> mesh.mailboxes().stream().findFirst().orElseThrow(
                        () -> top.fail("mailbox", "is required: " + meshConfig + " has no mailboxes")));
        String dpsMailbox = top.required("dps_mailbox").toUpperCase(Locale.ROOT);
        if (!MAILBOX_ID.matcher(dpsMailbox).matches()) {
            throw top.fail("dps_mailbox", "must be a MESH mailbox id such as X26ABC2, got '" + dpsMailbox + "'");
        }
        List<String> programmes = top.strings("programmes");
        if (programmes.isEmpty()) {
            throw top.fail("programmes", "is required: a list such as [HPV, flu]");
        }
        String uniqueIdUri = top.required("unique_id_uri");
        try {
            if (!new URI(uniqueIdUri).isAbsolute()) {
                throw top.fail("unique_id_uri", "must be an absolute URI, got '" + uniqueIdUri + "'");
            }
        } catch (URISyntaxException e) {
            throw top.fail("unique_id_uri", "is not a URI: " + e.getMessage());
        }
        ZoneId zone = top.text("time_zone").map(text -> {
            try {
                return ZoneId.of(text);
            } catch (DateTimeException e) {
                throw top.fail("time_zone", "'" + text + "' is not a time zone such as Europe/London");
            }
        }).orElse(ZoneId.of("Europe/London"));
        Path ledgerPath = baseDir.resolve(top.text("ledger_path").orElse("meshgate-dps/ledger")).normalize();
        Path workDir = top.text("work_dir").map(baseDir::resolve).orElse(ledgerPath.resolveSibling("work"))
                .normalize();
        ExportSettings export = new ExportSettings(dpsMailbox, top.required("workflow_id"), programmes, uniqueIdUri,
                zone, workDir);
        boolean meshJobs = Optional.ofNullable(environment.get(MESH_JOBS_VARIABLE))
                .map(value -> bool("mesh_jobs (from " + MESH_JOBS_VARIABLE + ")", value))
                .orElseGet(() -> top.text("mesh_jobs").map(value -> bool("mesh_jobs", value)).orElse(false));
        LocalTime exportTime = top.text("export_time").map(text -> {
            try {
                return LocalTime.parse(text);
            } catch (DateTimeParseException e) {
                throw top.fail("export_time", "'" + text + "' is not a time of day such as 02:00");
            }
        }).orElse(LocalTime.of(2, 0));
        return new DpsSettings(mesh, mailbox, export, source(top.child("source", SOURCE), baseDir, environment),
                ledgerPath, meshJobs, top.duration("validate_interval", Duration.ofHours(24)), exportTime,
                top.duration("tracking_interval", Duration.ofMinutes(30)));
    }

    private static SourceSettings source(Settings source, Path baseDir, Map<String, String> environment) {
        String type = source.required("type").toLowerCase(Locale.ROOT);
        Optional<Secret> password = source.node("password").map(value -> secret(source, value, environment, baseDir));
        return switch (type) {
            case "csv", "json" -> {
                Path path = baseDir.resolve(source.required("path")).normalize();
                yield new SourceSettings(type, Optional.of(path), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty());
            }
            case "jdbc" -> new SourceSettings(type, Optional.empty(), Optional.of(source.required("url")),
                    Optional.of(source.required("table")), source.text("user"), password);
            default -> throw source.fail("type", "must be csv, json or jdbc, got '" + type + "'");
        };
    }

    private static Secret secret(Settings section, JsonNode value, Map<String, String> environment,
            Path baseDir) {
        if (value.isValueNode()) {
            return Secret.literal(value.asText());
        }
        if (value.isObject() && value.size() == 1 && value.path("env").isTextual()) {
            String name = value.path("env").asText().trim();
            String revealed = environment.get(name);
            if (revealed == null) {
                throw section.fail("password", "environment variable " + name + " is not set");
            }
            return environment == System.getenv() ? Secret.env(name) : Secret.literal(revealed);
        }
        if (value.isObject() && value.size() == 1 && value.path("file").isTextual()) {
            return Secret.file(baseDir.resolve(value.path("file").asText().trim()));
        }
        throw section.fail("password", "must be a value, {env: VARIABLE_NAME} or {file: path/to/file}");
    }

    private static boolean bool(String name, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new ConfigException(name + ": must be true or false, got '" + text + "'");
        };
    }

    /** One mapping of settings: typed getters that name the setting in each error, and no unknown keys. */
    private static final class Settings {
        private final JsonNode node;
        private final String prefix;

        Settings(JsonNode node, String name, Set<String> allowed) {
            if (!node.isObject()) {
                throw new ConfigException((name.isEmpty() ? "settings" : name) + ": must be a mapping of settings");
            }
            this.node = node;
            this.prefix = name.isEmpty() ? "" : name + ".";
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!allowed.contains(key)) {
                    throw new ConfigException(prefix + key + ": unknown setting (known: " + allowed.stream().sorted()
                            .toList() + ")");
                }
            }
        }

        Settings child(String key, Set<String> allowed) {
            return new Settings(node(key).orElseThrow(() -> fail(key, "is required")), prefix + key, allowed);
        }

        Optional<JsonNode> node(String key) {
            JsonNode value = node.get(key);
            return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
        }

        Optional<String> text(String key) {
            return node(key).map(value -> {
                if (!value.isValueNode()) {
                    throw fail(key, "must be a single value, not a list or mapping");
                }
                return value.asText().trim();
            }).filter(text -> !text.isEmpty());
        }

        String required(String key) {
            return text(key).orElseThrow(() -> fail(key, "is required"));
        }

        List<String> strings(String key) {
            Optional<JsonNode> value = node(key);
            if (value.isEmpty()) {
                return List.of();
            }
            List<String> strings = new ArrayList<>();
            if (value.get().isArray()) {
                for (JsonNode element : value.get()) {
                    if (!element.isValueNode() || element.asText().isBlank()) {
                        throw fail(key, "must be a list of names such as [HPV, flu]");
                    }
                    strings.add(element.asText().trim());
                }
                return strings;
            }
            throw fail(key, "must be a list of names such as [HPV, flu]");
        }

        Duration duration(String key, Duration defaultValue) {
            return text(key).map(text -> {
                Duration value = parseDuration(text);
                if (value == null || value.isNegative() || value.isZero()) {
                    throw fail(key, "'" + text + "' is not a duration: use a whole number with ms, s, m, h or d "
                            + "such as 30m or 24h, or ISO-8601 such as PT30M");
                }
                return value;
            }).orElse(defaultValue);
        }

        ConfigException fail(String key, String problem) {
            return new ConfigException(prefix + key + ": " + problem);
        }

        private static Duration parseDuration(String text) {
            if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
                try {
                    return Duration.parse(text.toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
            Matcher m = DURATION.matcher(text);
            if (!m.matches()) {
                return null;
            }
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return null;
            }
            return switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
    }
}
