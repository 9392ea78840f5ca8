package meshgate.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import meshgate.client.MeshClient;
import meshgate.client.MeshEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the gateway's YAML configuration, applies {@code MESHGATE_*} environment overrides and checks the result.
 * Every problem is a {@link ConfigException} naming the setting; {@code docs/configuration.md} is the reference.
 */
public final class GatewayConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfigLoader.class);

    static final String ENV_PREFIX = "MESHGATE_";
    static final String MAILBOX_IDS_VARIABLE = "MESHGATE_MAILBOX_IDS";
    /** Names the entry of {@code profiles:} to apply over the top-level settings. */
    public static final String PROFILE_VARIABLE = "MESHGATE_PROFILE";
    static final long DEFAULT_COMPRESS_THRESHOLD = 1024 * 1024;
    /**
     * MESH carries at most 20 GB in one message, and the text MESH carries (CSV, XML, JSON) rarely compresses better
     * than 5:1, so 100 GiB decoded holds any real message; a gzip bomb (about 1000:1) is cut off there.
     */
    static final long DEFAULT_MAX_DECODED_SIZE = 100L * 1024 * 1024 * 1024;
    private static final long MAX_CONFIG_BYTES = 1024 * 1024;
    /** MeshClient's own limit on its read/write buffer. */
    private static final int MAX_CRUMB_SIZE = 16 * 1024 * 1024;
    /** MESH asks clients not to poll an inbox more often than this. */
    /** Longer than one MESH call can take with the default timeouts and retries, plus a renewal interval. */
    private static final Duration DEFAULT_OUTBOUND_LEASE = Duration.ofMinutes(15);
    private static final Duration MESH_MIN_POLL_INTERVAL = Duration.ofMinutes(5);
    private static final Duration MESH_MAX_POLL_INTERVAL = Duration.ofDays(1);
    private static final Pattern MAILBOX_ID = Pattern.compile("[A-Z0-9]+");
    /** An EventBridge rate expression, as terraform-aws-mesh-client's schedules are written. */
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minutes?|hours?|days?)\\s*\\)");
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private static final Set<String> SECRETS = Set.of("shared_key", "private_key_passphrase", "pkcs12_password",
            "password", "metrics.token", "console.token", "events.webhook_authorization", "events.webhook_signing_secret");
    /** Settings an environment variable may set, by full name; MESHGATE_ plus the name upper-cased, dots as _. */
    private static final List<String> OVERRIDABLE = List.of(
            "base_url", "mesh_env", "shared_key", "certificate", "private_key", "private_key_passphrase", "ca_bundle",
            "pkcs12", "pkcs12_password", "verify_ssl", "disable_ssl_verification", "verify_checks_common_name",
            "allow_insecure_tls", "mailbox", "password", "chunk_size", "crumb_size", "compress_threshold", "never_compress", "get_message_max_concurrency",
            "max_decoded_size",
            "send_concurrency", "use_sender_filename", "use_legacy_inbound_location", "use_s3_key_for_mex_filename",
            "use_key_for_mex_filename", "poll_interval", "outbound_rescan_interval", "outbound_settle_time",
            "handshake_interval", "tracking_interval", "sent_action", "mesh_jobs", "node_id", "outbound_lease",
            "outbound_existing", "mesh_connect_timeout", "mesh_read_timeout", "mesh_retry_max_elapsed", "store.type", "store.root", "ledger.type", "ledger.path", "events.log", "events.webhook_url",
            "events.webhook_authorization", "events.webhook_signing_secret", "metrics.port", "metrics.host",
            "metrics.token", "console.port", "console.host", "console.token", "logging.level", "logging.format");
    /** Pairs of settings of which only one may be given; an environment variable for one displaces the other. */
    private static final Map<String, String> EITHER_OR = Map.of(
            "base_url", "mesh_env", "mesh_env", "base_url", "mailbox", "mailboxes",
            "use_s3_key_for_mex_filename", "use_key_for_mex_filename",
            "use_key_for_mex_filename", "use_s3_key_for_mex_filename");

    private static final Set<String> TOP_LEVEL = Set.of(
            "base_url", "mesh_env", "shared_key", "certificate", "private_key", "private_key_passphrase", "ca_bundle",
            "pkcs12", "pkcs12_password", "verify_ssl", "disable_ssl_verification", "verify_checks_common_name",
            "allow_insecure_tls", "mailbox", "password", "mailboxes", "store", "ledger", "chunk_size", "crumb_size", "compress_threshold", "never_compress",
            "max_decoded_size",
            "get_message_max_concurrency", "send_concurrency", "use_sender_filename", "use_legacy_inbound_location",
            "use_s3_key_for_mex_filename", "use_key_for_mex_filename", "poll_interval", "outbound_rescan_interval",
            "outbound_settle_time", "handshake_interval", "tracking_interval", "sent_action", "outbound_mappings",
            "events", "mesh_jobs", "node_id", "outbound_lease", "mesh_connect_timeout", "mesh_read_timeout",
            "mesh_retry_max_elapsed", "metrics", "console", "aws", "outbound_existing", "outbound_notifications",
            "get_messages_schedule", "handshake_schedule", "logging");
    /** A profile's setting displaces the top-level settings it is an alternative to. */
    private static final Map<String, List<String>> DISPLACES = Map.of(
            "base_url", List.of("mesh_env"),
            "mesh_env", List.of("base_url"),
            "mailbox", List.of("mailboxes"),
            "mailboxes", List.of("mailbox", "password"),
            "pkcs12", List.of("certificate", "private_key", "private_key_passphrase"),
            "certificate", List.of("pkcs12", "pkcs12_password"),
            "verify_ssl", List.of("disable_ssl_verification"),
            "disable_ssl_verification", List.of("verify_ssl"));
    private static final Set<String> MAILBOX = Set.of(
            "mailbox_id", "password", "inbound_folder", "certificate", "private_key", "private_key_passphrase");
    private static final Set<String> STORE = Set.of("type", "root", "bucket", "region", "endpoint", "path_style",
            "access_key_id", "secret_access_key", "part_size", "group_readable");
    private static final Set<String> LEDGER = Set.of("type", "path", "jdbc_url", "user", "password");
    private static final Set<String> MAPPING = Set.of("prefix", "mex_from", "mex_to", "mex_workflowid");
    private static final Set<String> EVENTS = Set.of("log", "webhook_url", "webhook_authorization",
            "webhook_signing_secret", "command", "eventbridge_bus", "eventbridge_source", "eventbridge_endpoint",
            "sns_topic_arn", "sns_endpoint", "aws_region");
    private static final Set<String> METRICS = Set.of("port", "host", "token");
    private static final Set<String> CONSOLE = Set.of("port", "host", "token");
    private static final Set<String> LOGGING = Set.of("level", "levels", "format");

    private GatewayConfigLoader() {
    }

    /**
     * Reads {@code yamlFile}; relative paths in it are resolved against its folder. The profile named by
     * {@code MESHGATE_PROFILE}, if set, is applied.
     */
    public static GatewayConfig load(Path yamlFile, Map<String, String> environment) {
        return load(yamlFile, environment, Optional.empty());
    }

    /**
     * Reads {@code yamlFile} with the settings of one of its {@code profiles:} over the top-level ones; without a
     * profile, the one named by {@code MESHGATE_PROFILE}, if set.
     */
    public static GatewayConfig load(Path yamlFile, Map<String, String> environment, Optional<String> profile) {
        Path file = yamlFile.toAbsolutePath().normalize();
        String yaml = readFile(file);
        GatewayConfig config;
        try {
            config = fromYaml(yaml, file.getParent(), environment, profile);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
        SettingsFileExposure.warnIfExposed(file, parse(yaml));
        return config;
    }

    /**
     * Only the {@code logging:} settings of {@code yamlFile}, with the profile and {@code MESHGATE_LOGGING_*}
     * applied as {@link #load(Path, Map, Optional)} applies them, so that a process can set up its log before the
     * rest of the file is read and checked (and logged about). Throws for a file that {@code load} would refuse.
     */
    public static LoggingSettings loadLogging(Path yamlFile, Map<String, String> environment,
            Optional<String> profile) {
        Path file = yamlFile.toAbsolutePath().normalize();
        ObjectNode root = parse(readFile(file));
        Map<String, String> sources = applyProfile(root, profile.or(() -> Optional.ofNullable(
                environment.get(PROFILE_VARIABLE)).filter(s -> !s.isBlank())), file.getParent(), environment);
        sources.putAll(applyOverrides(root, environment));
        Section top = new Section(root, "", TOP_LEVEL, sources, file.getParent(), environment);
        return logging(top.child("logging", LOGGING));
    }

    private static String readFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("configuration file " + file + " does not exist");
            }
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new ConfigException("configuration file " + file + " is larger than 1 MiB");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads configuration text; relative paths are resolved against {@code baseDir}. */
    public static GatewayConfig fromYaml(String yaml, Path baseDir, Map<String, String> environment) {
        return fromYaml(yaml, baseDir, environment, Optional.empty());
    }

    /** Reads configuration text with a profile applied (see {@link #load(Path, Map, Optional)}). */
    public static GatewayConfig fromYaml(String yaml, Path baseDir, Map<String, String> environment,
            Optional<String> profile) {
        ObjectNode root = parse(yaml);
        Path dir = baseDir.toAbsolutePath().normalize();
        Map<String, String> sources = applyProfile(root, profile.or(() -> Optional.ofNullable(
                environment.get(PROFILE_VARIABLE)).filter(s -> !s.isBlank())), dir, environment);
        sources.putAll(applyOverrides(root, environment));
        try (SettingsSources stores = SettingsSources.onClassPath()) {
            sources.putAll(stores.supply(root, dir, environment));
            Section top = new Section(root, "", TOP_LEVEL, sources, dir, environment, stores.byKind());
            return read(top, environment);
        }
    }

    /**
     * Takes {@code profiles:} out of the tree and writes the chosen profile's settings over the top-level ones
     * (mappings such as {@code store} merged key by key); returns which settings the profile set.
     */
    private static Map<String, String> applyProfile(ObjectNode root, Optional<String> name, Path baseDir,
            Map<String, String> environment) {
        JsonNode profiles = root.remove("profiles");
        Map<String, String> sources = new HashMap<>();
        if (profiles != null && !profiles.isNull() && !profiles.isObject()) {
            throw new ConfigException("profiles: must be a mapping of profile names to settings");
        }
        if (name.isEmpty()) {
            return sources;
        }
        String chosen = name.get().trim();
        JsonNode profile = profiles == null || profiles.isNull() ? null : profiles.get(chosen);
        if (profile == null) {
            List<String> known = new ArrayList<>();
            if (profiles != null && !profiles.isNull()) {
                profiles.fieldNames().forEachRemaining(known::add);
            }
            throw new ConfigException("profile " + chosen + ": not found"
                    + (known.isEmpty() ? " (the configuration has no profiles:)" : "; profiles: " + String.join(", ", known)));
        }
        String where = "profiles." + chosen;
        new Section(profile, where, TOP_LEVEL, Map.of(), baseDir, environment);
        String source = "profile " + chosen;
        for (Map.Entry<String, JsonNode> setting : profile.properties()) {
            String key = setting.getKey();
            JsonNode value = setting.getValue();
            DISPLACES.getOrDefault(key, List.of()).forEach(root::remove);
            JsonNode existing = root.get(key);
            if (value.isObject() && existing instanceof ObjectNode section && !SECRETS.contains(key)) {
                value.properties().forEach(e -> {
                    section.set(e.getKey(), e.getValue());
                    sources.put(key + "." + e.getKey(), source);
                });
            } else {
                root.set(key, value);
                sources.put(key, source);
            }
        }
        return sources;
    }

    private static ObjectNode parse(String yaml) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException("configuration is not valid YAML" + where + ": " + problem, e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return mapper.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException("configuration: must be a mapping of settings");
        }
        return (ObjectNode) root;
    }

    /** Writes each {@code MESHGATE_*} override into the tree; returns which variable set which setting. */
    private static Map<String, String> applyOverrides(ObjectNode root, Map<String, String> environment) {
        Map<String, String> sources = new HashMap<>();
        for (String setting : OVERRIDABLE) {
            String variable = variableFor(setting);
            String value = environment.get(variable);
            if (value == null) {
                continue;
            }
            String other = EITHER_OR.get(setting);
            if (other != null && environment.containsKey(variableFor(other))) {
                throw new ConfigException(variable + ": set " + variable + " or " + variableFor(other) + ", not both");
            }
            ObjectNode parent = root;
            String key = setting;
            int dot = setting.indexOf('.');
            if (dot > 0) {
                String section = setting.substring(0, dot);
                JsonNode existing = root.get(section);
                parent = existing instanceof ObjectNode object ? object : root.putObject(section);
                key = setting.substring(dot + 1);
            }
            if (SECRETS.contains(setting)) {
                parent.putObject(key).put("env", variable);
            } else {
                parent.put(key, value);
            }
            if (other != null) {
                root.remove(other);
            }
            sources.put(setting, variable);
        }
        return sources;
    }

    static String variableFor(String setting) {
        return ENV_PREFIX + setting.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    static String mailboxPasswordVariable(String mailboxId) {
        return ENV_PREFIX + "MAILBOX_" + mailboxId + "_PASSWORD";
    }

    private static GatewayConfig read(Section top, Map<String, String> environment) {
        URI baseUrl = baseUrl(top);
        Secret sharedKey = top.secret("shared_key").orElseThrow(() -> top.fail("shared_key",
                "is required: the MESH shared secret (set it here or in MESHGATE_SHARED_KEY)"));
        TlsSettings tls = tls(top);
        checkInsecureTls(top, tls, baseUrl);
        StoreSettings store = store(top.child("store", STORE));
        LedgerSettings ledger = ledger(ProvidedLedgers.section(top, LEDGER), store);
        int chunkSize = chunkSize(top);
        int crumbSize = crumbSize(top, chunkSize);
        boolean legacyInbound = top.bool("use_legacy_inbound_location", false);
        List<MailboxConfig> mailboxes = mailboxes(top, tls, legacyInbound, environment);
        Duration pollInterval = schedule(top, "poll_interval", "get_messages_schedule", MESH_MIN_POLL_INTERVAL);
        warnAboutPolling(pollInterval, baseUrl);
        return new GatewayConfig(
                baseUrl,
                sharedKey,
                tls,
                mailboxes,
                store,
                ledger,
                chunkSize,
                crumbSize,
                top.size("compress_threshold", DEFAULT_COMPRESS_THRESHOLD),
                top.bool("never_compress", false),
                maxDecodedSize(top),
                top.integer("get_message_max_concurrency", 10, 1, 100),
                top.integer("send_concurrency", 4, 1, 100),
                top.bool("use_sender_filename", false),
                legacyInbound,
                useKeyForMexFilename(top),
                pollInterval,
                top.duration("outbound_rescan_interval", Duration.ofSeconds(5), false),
                top.duration("outbound_settle_time", Duration.ofMillis(500), true),
                schedule(top, "handshake_interval", "handshake_schedule", Duration.ofHours(24)),
                top.duration("tracking_interval", Duration.ofMinutes(5), false),
                sentAction(top),
                outboundMappings(top, mailboxes),
                events(top.child("events", EVENTS)),
                top.bool("mesh_jobs", true),
                top.text("node_id").filter(v -> !v.isBlank()).orElseGet(GatewayConfigLoader::hostName),
                top.duration("outbound_lease", DEFAULT_OUTBOUND_LEASE, false),
                meshTimeouts(top),
                metrics(top.child("metrics", METRICS)),
                OutboundExisting.read(top),
                OutboundNotificationSettings.read(top, store),
                logging(top.child("logging", LOGGING)),
                console(top.child("console", CONSOLE)));
    }

    /**
     * An interval, or the same under terraform-aws-mesh-client's name ({@code get_messages_schedule},
     * {@code handshake_schedule}), written as the module writes it: an EventBridge rate expression such as
     * {@code rate(1 hour)}, or a duration.
     */
    private static Duration schedule(Section top, String key, String moduleKey, Duration defaultValue) {
        if (!top.has(moduleKey)) {
            return top.duration(key, defaultValue, false);
        }
        if (top.has(key)) {
            throw top.fail(moduleKey, "set " + key + " or " + moduleKey + " (its terraform-aws-mesh-client name), "
                    + "not both");
        }
        String text = top.text(moduleKey).orElse("").trim();
        java.util.regex.Matcher rate = RATE.matcher(text);
        if (rate.matches()) {
            long count = Long.parseLong(rate.group(1));
            Duration unit = switch (rate.group(2)) {
                case "minute", "minutes" -> Duration.ofMinutes(1);
                case "hour", "hours" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            if (count < 1) {
                throw top.fail(moduleKey, "must be more than zero, got '" + text + "'");
            }
            return unit.multipliedBy(count);
        }
        if (text.startsWith("cron(")) {
            throw top.fail(moduleKey, "cron expressions are not supported: give " + key + " as an interval, or a "
                    + "rate such as rate(1 hour)");
        }
        return top.duration(moduleKey, defaultValue, false);
    }

    private static MeshTimeouts meshTimeouts(Section top) {
        return new MeshTimeouts(
                top.duration("mesh_connect_timeout", MeshTimeouts.DEFAULT_CONNECT_TIMEOUT, false),
                top.duration("mesh_read_timeout", MeshTimeouts.DEFAULT_READ_TIMEOUT, false),
                top.duration("mesh_retry_max_elapsed", MeshTimeouts.DEFAULT_RETRY_MAX_ELAPSED, true));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static URI baseUrl(Section top) {
        Optional<String> url = top.text("base_url").filter(s -> !s.isEmpty());
        Optional<String> env = top.text("mesh_env").filter(s -> !s.isEmpty());
        if (url.isPresent() && env.isPresent()) {
            throw top.fail("base_url", "set base_url or mesh_env, not both");
        }
        if (url.isPresent()) {
            String text = url.get();
            String lower = text.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
                throw top.fail("base_url", "must be an https:// URL, got '" + text + "'");
            }
            return parseUrl(top, "base_url", text);
        }
        if (env.isPresent()) {
            try {
                return MeshEnvironment.resolve(env.get());
            } catch (IllegalArgumentException e) {
                throw top.fail("mesh_env", e.getMessage());
            }
        }
        return MeshEnvironment.LOCAL_SANDBOX.baseUrl();
    }

    private static URI parseUrl(Section section, String key, String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.getHost() == null) {
                throw section.fail(key, "'" + text + "' has no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw section.fail(key, "'" + text + "' is not a valid URL: " + e.getReason());
        }
    }

    private static TlsSettings tls(Section top) {
        Optional<PemSource> certificate = top.pem("certificate");
        Optional<PemSource> privateKey = top.pem("private_key");
        Optional<Secret> passphrase = top.secret("private_key_passphrase");
        Optional<Path> pkcs12 = top.existingFile("pkcs12");
        Optional<Secret> pkcs12Password = top.secret("pkcs12_password");
        checkPem(top, certificate, privateKey, passphrase);
        if (pkcs12.isPresent() && certificate.isPresent()) {
            throw top.fail("pkcs12", "set either pkcs12 or certificate and private_key, not both");
        }
        if (pkcs12Password.isPresent() && pkcs12.isEmpty()) {
            throw top.fail("pkcs12_password", "is set but pkcs12 is not");
        }
        return new TlsSettings(certificate, privateKey, passphrase, top.pem("ca_bundle"), pkcs12,
                pkcs12Password, verifySsl(top), top.bool("verify_checks_common_name", true));
    }

    /** {@code verify_ssl: false} or its sandbox-style spelling {@code disable_ssl_verification: true}. */
    private static boolean verifySsl(Section top) {
        boolean verify = top.bool("verify_ssl", true);
        if (!top.has("disable_ssl_verification")) {
            return verify;
        }
        boolean disable = top.bool("disable_ssl_verification", false);
        if (top.has("verify_ssl") && verify == disable) {
            throw top.fail("disable_ssl_verification", "contradicts verify_ssl; set only one of them");
        }
        return !disable;
    }

    private static void checkPem(Section section, Optional<PemSource> certificate, Optional<PemSource> privateKey,
            Optional<Secret> passphrase) {
        if (certificate.isPresent() && privateKey.isEmpty()) {
            throw section.fail("private_key", "is required with certificate");
        }
        if (privateKey.isPresent() && certificate.isEmpty()) {
            throw section.fail("certificate", "is required with private_key");
        }
        if (passphrase.isPresent() && privateKey.isEmpty()) {
            throw section.fail("private_key_passphrase", "is set but private_key is not");
        }
    }

    /**
     * Without verification anyone on the network path can pose as MESH and collect the messages and the
     * authentication tokens sent to it, so it is refused except for a sandbox on this machine or an explicit opt-in.
     */
    private static void checkInsecureTls(Section top, TlsSettings tls, URI baseUrl) {
        boolean allowed = top.bool("allow_insecure_tls", false);
        checkPlainHttp(top, baseUrl, allowed);
        checkHostNameCheck(top, tls, baseUrl, allowed);
        if (tls.verifySsl()) {
            return;
        }
        if (!isLocal(baseUrl) && !allowed) {
            String setting = top.has("disable_ssl_verification") ? "disable_ssl_verification" : "verify_ssl";
            throw top.fail(setting, (setting.equals("verify_ssl") ? "false" : "true") + " is only allowed for a sandbox on localhost or 127.0.0.1, not "
                    + baseUrl.getHost() + "; never turn verification off for INT or LIVE (set allow_insecure_tls: "
                    + "true only for a test server you control)");
        }
        LOG.warn("event=tls_verification_off base_url={} reason={}", baseUrl,
                isLocal(baseUrl) ? "local_sandbox" : "allow_insecure_tls");
    }

    /** Plain HTTP skips TLS and the client certificate altogether: the same exposure as {@code verify_ssl: false}. */
    private static void checkPlainHttp(Section top, URI baseUrl, boolean allowed) {
        if (!"http".equalsIgnoreCase(baseUrl.getScheme())) {
            return;
        }
        if (!isLocal(baseUrl) && !allowed) {
            throw top.fail("base_url", "http:// is only allowed for a sandbox on localhost or 127.0.0.1, not "
                    + baseUrl.getHost() + "; use https:// (set allow_insecure_tls: true only for a test server you "
                    + "control)");
        }
        if (!isLocal(baseUrl)) {
            LOG.warn("event=plain_http base_url={} reason=allow_insecure_tls", baseUrl);
        }
    }

    /**
     * Without the host-name check any certificate the trusted CAs issued passes for MESH; with the public trust store
     * that is any web site's certificate, so it is accepted only against a private CA bundle or an explicit opt-in.
     */
    private static void checkHostNameCheck(Section top, TlsSettings tls, URI baseUrl, boolean allowed) {
        if (tls.verifyChecksCommonName() || isLocal(baseUrl) || tls.caBundle().isPresent() || allowed) {
            return;
        }
        throw top.fail("verify_checks_common_name", "false for " + baseUrl.getHost() + " needs a ca_bundle (the CAs "
                + "MESH's certificate is issued by) or allow_insecure_tls: true for a test server you control");
    }

    private static boolean isLocal(URI url) {
        return url.getHost() != null && LOCAL_HOSTS.contains(url.getHost().toLowerCase(Locale.ROOT));
    }

    private static StoreSettings store(Section store) {
        String type = store.text("type").filter(s -> !s.isEmpty()).orElse(StoreSettings.LOCAL)
                .toLowerCase(Locale.ROOT);
        Path root = store.path("root").orElseGet(() -> store.resolve("meshgate-data"));
        if (type.equals(StoreSettings.S3)) {
            String bucket = store.text("bucket").filter(s -> !s.isBlank())
                    .orElseThrow(() -> store.fail("bucket", "is required when type is s3"));
            Optional<java.net.URI> endpoint = store.text("endpoint").filter(s -> !s.isBlank()).map(java.net.URI::create);
            long partSize = store.size("part_size", 16L * 1024 * 1024);
            if (partSize < 5L * 1024 * 1024 || partSize > 512L * 1024 * 1024) {
                throw store.fail("part_size", "must be between 5 MiB and 512 MiB, got " + partSize);
            }
            Optional<Secret> keyId = store.secret("access_key_id");
            Optional<Secret> secretKey = store.secret("secret_access_key");
            if (keyId.isPresent() != secretKey.isPresent()) {
                throw store.fail("access_key_id", "give access_key_id and secret_access_key together, or neither "
                        + "(the AWS default credential chain is then used)");
            }
            return new StoreSettings(type, root, Optional.of(new StoreSettings.S3Settings(bucket,
                    store.text("region").filter(s -> !s.isBlank()), endpoint, store.bool("path_style", false),
                    keyId, secretKey, (int) partSize)));
        }
        if (!type.equals(StoreSettings.LOCAL)) {
            throw store.fail("type", "must be local or s3, got '" + type + "'");
        }
        return new StoreSettings(type, root, Optional.empty(), store.bool("group_readable", false));
    }

    private static LedgerSettings ledger(Section ledger, StoreSettings store) {
        String type = ledger.text("type").filter(s -> !s.isEmpty()).orElse(LedgerSettings.EMBEDDED)
                .toLowerCase(Locale.ROOT);
        Path path = ledger.path("path").orElseGet(() -> store.root().resolve("ledger").resolve("meshgate"));
        if (type.equals(LedgerSettings.POSTGRESQL)) {
            String url = ledger.text("jdbc_url").filter(s -> s.startsWith("jdbc:postgresql:"))
                    .orElseThrow(() -> ledger.fail("jdbc_url", "is required when type is postgresql, e.g. "
                            + "jdbc:postgresql://db:5432/meshgate"));
            String user = ledger.text("user").filter(s -> !s.isBlank())
                    .orElseThrow(() -> ledger.fail("user", "is required when type is postgresql"));
            return new LedgerSettings(type, path, Optional.of(new LedgerSettings.PostgresSettings(url, user,
                    ledger.secret("password"))));
        }
        if (!type.equals(LedgerSettings.EMBEDDED)) {
            return ProvidedLedgers.settings(ledger, type, path, LEDGER);
        }
        return new LedgerSettings(type, path);
    }

    private static long maxDecodedSize(Section top) {
        long value = top.size("max_decoded_size", DEFAULT_MAX_DECODED_SIZE);
        if (value < 1) {
            throw top.fail("max_decoded_size", "must be at least 1 byte, got " + value);
        }
        return value;
    }

    private static int chunkSize(Section top) {
        long value = top.size("chunk_size", MeshClient.DEFAULT_CHUNK_SIZE);
        if (value < MeshClient.MIN_CHUNK_SIZE) {
            throw top.fail("chunk_size", "must be more than 5 MiB (" + (MeshClient.MIN_CHUNK_SIZE - 1)
                    + " bytes), got " + value);
        }
        if (value > MeshClient.MAX_CHUNK_SIZE) {
            throw top.fail("chunk_size", "must be at most 100 MB (" + MeshClient.MAX_CHUNK_SIZE + " bytes), got "
                    + value);
        }
        return (int) value;
    }

    private static int crumbSize(Section top, int chunkSize) {
        long value = top.size("crumb_size", MeshClient.DEFAULT_CRUMB_SIZE);
        String upper = chunkSize < MAX_CRUMB_SIZE
                ? "chunk_size (" + chunkSize + " bytes)"
                : "16 MiB (" + MAX_CRUMB_SIZE + " bytes)";
        if (value < 1024 || value > Math.min(chunkSize, MAX_CRUMB_SIZE)) {
            throw top.fail("crumb_size", "must be between 1 KiB (1024 bytes) and " + upper + ", got " + value);
        }
        return (int) value;
    }

    private static boolean useKeyForMexFilename(Section top) {
        if (top.has("use_s3_key_for_mex_filename") && top.has("use_key_for_mex_filename")) {
            throw top.fail("use_key_for_mex_filename",
                    "set use_s3_key_for_mex_filename or use_key_for_mex_filename, not both");
        }
        return top.has("use_key_for_mex_filename")
                ? top.bool("use_key_for_mex_filename", false)
                : top.bool("use_s3_key_for_mex_filename", false);
    }

    private static SentAction sentAction(Section top) {
        String text = top.text("sent_action").filter(s -> !s.isEmpty()).orElse("archive");
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "archive" -> SentAction.ARCHIVE;
            case "delete" -> SentAction.DELETE;
            case "keep" -> SentAction.KEEP;
            default -> throw top.fail("sent_action", "must be archive, delete or keep, got '" + text + "'");
        };
    }

    /** A mailbox entry as written, before MESHGATE_MAILBOX_IDS chooses which are used. */
    private record MailboxEntry(String id, Section section, Optional<String> inboundFolder,
            Optional<TlsSettings> tls) {
    }

    private static List<MailboxConfig> mailboxes(Section top, TlsSettings sharedTls, boolean legacyInbound,
            Map<String, String> environment) {
        Map<String, MailboxEntry> entries = new LinkedHashMap<>();
        if (top.has("mailbox")) {
            if (top.has("mailboxes")) {
                throw top.fail("mailbox", "set mailbox (with password) for one mailbox, or mailboxes, not both");
            }
            String id = top.required("mailbox").toUpperCase(Locale.ROOT);
            if (!MAILBOX_ID.matcher(id).matches()) {
                throw top.fail("mailbox", "must be letters and digits only, got '" + id + "'");
            }
            entries.put(id, new MailboxEntry(id, top, Optional.empty(), Optional.empty()));
        } else if (top.has("password")) {
            throw top.fail("password", "is set but mailbox is not (with mailboxes, give each mailbox its password)");
        }
        for (Section section : top.list("mailboxes", MAILBOX)) {
            MailboxEntry entry = mailboxEntry(section, sharedTls);
            if (entries.putIfAbsent(entry.id(), entry) != null) {
                throw section.fail("mailbox_id", entry.id() + " is listed twice");
            }
        }
        String ids = environment.get(MAILBOX_IDS_VARIABLE);
        List<MailboxConfig> mailboxes = ids == null
                ? fromEntries(entries, legacyInbound, environment)
                : fromVariable(ids, entries, legacyInbound, environment);
        if (mailboxes.isEmpty()) {
            throw top.fail("mailboxes", "at least one mailbox is required (or set " + MAILBOX_IDS_VARIABLE
                    + " and MESHGATE_MAILBOX_<ID>_PASSWORD for each)");
        }
        return mailboxes;
    }

    private static MailboxEntry mailboxEntry(Section section, TlsSettings sharedTls) {
        String id = section.required("mailbox_id").toUpperCase(Locale.ROOT);
        if (!MAILBOX_ID.matcher(id).matches()) {
            throw section.fail("mailbox_id", "must be letters and digits only, got '" + id + "'");
        }
        Optional<String> inboundFolder = section.text("inbound_folder").map(folder -> {
            String trimmed = folder.replaceAll("^/+|/+$", "");
            if (trimmed.isEmpty() || List.of(trimmed.split("/+")).contains("..")) {
                throw section.fail("inbound_folder", "must be a folder inside the store, got '" + folder + "'");
            }
            return trimmed;
        });
        Optional<PemSource> certificate = section.pem("certificate");
        Optional<PemSource> privateKey = section.pem("private_key");
        Optional<Secret> passphrase = section.secret("private_key_passphrase");
        checkPem(section, certificate, privateKey, passphrase);
        Optional<TlsSettings> tls = certificate.map(cert -> sharedTls.withClientPem(cert, privateKey.get(), passphrase));
        return new MailboxEntry(id, section, inboundFolder, tls);
    }

    private static List<MailboxConfig> fromEntries(Map<String, MailboxEntry> entries, boolean legacyInbound,
            Map<String, String> environment) {
        List<MailboxConfig> mailboxes = new ArrayList<>();
        for (MailboxEntry entry : entries.values()) {
            Section section = entry.section();
            if (legacyInbound && entry.inboundFolder().isEmpty()) {
                throw section.fail("inbound_folder", "is required when use_legacy_inbound_location is true");
            }
            Secret password = passwordFromEnvironment(entry.id(), environment)
                    .or(() -> section.secret("password"))
                    .orElseThrow(() -> section.fail("password", "is required for " + entry.id() + " (or set "
                            + mailboxPasswordVariable(entry.id()) + ")"));
            mailboxes.add(new MailboxConfig(entry.id(), password, entry.inboundFolder(), entry.tls()));
        }
        return mailboxes;
    }

    private static List<MailboxConfig> fromVariable(String ids, Map<String, MailboxEntry> entries,
            boolean legacyInbound, Map<String, String> environment) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String raw : ids.split(",")) {
            String id = raw.trim().toUpperCase(Locale.ROOT);
            if (id.isEmpty()) {
                continue;
            }
            if (!MAILBOX_ID.matcher(id).matches()) {
                throw new ConfigException(MAILBOX_IDS_VARIABLE + ": mailbox ids must be letters and digits only, got '"
                        + raw.trim() + "'");
            }
            if (!chosen.add(id)) {
                throw new ConfigException(MAILBOX_IDS_VARIABLE + ": " + id + " is listed twice");
            }
        }
        List<MailboxConfig> mailboxes = new ArrayList<>();
        for (String id : chosen) {
            Secret password = passwordFromEnvironment(id, environment).orElseThrow(() -> new ConfigException(
                    MAILBOX_IDS_VARIABLE + ": " + id + " has no password: set " + mailboxPasswordVariable(id)));
            Optional<MailboxEntry> entry = Optional.ofNullable(entries.get(id));
            Optional<String> inboundFolder = entry.flatMap(MailboxEntry::inboundFolder);
            if (legacyInbound && inboundFolder.isEmpty()) {
                throw new ConfigException(MAILBOX_IDS_VARIABLE + ": " + id + " needs an inbound_folder in the "
                        + "mailboxes list when use_legacy_inbound_location is true");
            }
            mailboxes.add(new MailboxConfig(id, password, inboundFolder, entry.flatMap(MailboxEntry::tls)));
        }
        return mailboxes;
    }

    private static Optional<Secret> passwordFromEnvironment(String mailboxId, Map<String, String> environment) {
        String variable = mailboxPasswordVariable(mailboxId);
        String value = environment.get(variable);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isEmpty()) {
            throw new ConfigException(variable + ": is empty");
        }
        return Optional.of(Secret.env(variable, environment));
    }

    private static List<OutboundMapping> outboundMappings(Section top, List<MailboxConfig> mailboxes) {
        List<OutboundMapping> mappings = new ArrayList<>();
        Set<String> prefixes = new LinkedHashSet<>();
        for (Section section : top.list("outbound_mappings", MAPPING)) {
            String prefix = section.required("prefix");
            if (!prefix.startsWith("outbound/")) {
                throw section.fail("prefix", "must start with outbound/, got '" + prefix + "'");
            }
            if (!prefixes.add(prefix)) {
                throw section.fail("prefix", prefix + " is mapped twice");
            }
            String from = section.required("mex_from").toUpperCase(Locale.ROOT);
            if (mailboxes.stream().noneMatch(m -> m.mailboxId().equals(from))) {
                throw section.fail("mex_from", from + " is not one of the configured mailboxes");
            }
            mappings.add(new OutboundMapping(prefix, from, section.required("mex_to").toUpperCase(Locale.ROOT),
                    section.required("mex_workflowid")));
        }
        return mappings;
    }

    private static EventSettings events(Section events) {
        Optional<URI> url = events.text("webhook_url").filter(s -> !s.isEmpty()).map(text -> webhookUrl(events, text));
        Optional<Secret> authorization = events.secret("webhook_authorization");
        Optional<Secret> signingSecret = events.secret("webhook_signing_secret");
        if (url.isEmpty()) {
            for (String key : List.of("webhook_authorization", "webhook_signing_secret")) {
                if (events.has(key)) {
                    throw events.fail(key, "needs events.webhook_url as well");
                }
            }
        }
        if (url.isPresent() && url.get().getRawUserInfo() != null && authorization.isPresent()) {
            throw events.fail("webhook_authorization", "cannot go with user info in webhook_url; give one of them");
        }
        return new EventSettings(events.bool("log", true),
                url.map(u -> new WebhookSettings(u, authorization, signingSecret)), events.strings("command"),
                awsEvents(events));
    }

    /** EventBridge and SNS; the sinks themselves are in meshgate-aws. */
    private static AwsEventSettings awsEvents(Section events) {
        Optional<String> bus = events.text("eventbridge_bus").filter(s -> !s.isBlank());
        Optional<String> topic = events.text("sns_topic_arn").filter(s -> !s.isBlank());
        if (topic.isPresent() && !topic.get().startsWith("arn:")) {
            throw events.fail("sns_topic_arn", "must be a topic ARN (arn:aws:sns:region:account:name), got '"
                    + topic.get() + "'");
        }
        String source = events.text("eventbridge_source").filter(s -> !s.isBlank())
                .orElse(AwsEventSettings.DEFAULT_SOURCE);
        if (source.startsWith("aws.")) {
            throw events.fail("eventbridge_source", "must not start with aws. (EventBridge keeps it for AWS "
                    + "services), got '" + source + "'");
        }
        if (bus.isEmpty() && (events.has("eventbridge_source") || events.has("eventbridge_endpoint"))) {
            throw events.fail(events.has("eventbridge_source") ? "eventbridge_source" : "eventbridge_endpoint",
                    "needs events.eventbridge_bus as well");
        }
        if (topic.isEmpty() && events.has("sns_endpoint")) {
            throw events.fail("sns_endpoint", "needs events.sns_topic_arn as well");
        }
        return new AwsEventSettings(bus, source, awsEndpoint(events, "eventbridge_endpoint"), topic,
                awsEndpoint(events, "sns_endpoint"), events.text("aws_region").filter(s -> !s.isBlank()));
    }

    private static Optional<URI> awsEndpoint(Section events, String key) {
        return events.text(key).filter(s -> !s.isBlank()).map(text -> parseUrl(events, key, text));
    }

    /** The URL may hold credentials (user info, a query string), so no message repeats it. */
    private static URI webhookUrl(Section events, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            throw events.fail("webhook_url", "must be an http:// or https:// URL");
        }
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.getHost() == null) {
                throw events.fail("webhook_url", "has no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw events.fail("webhook_url", "is not a valid URL (" + e.getReason() + ")");
        }
    }

    /** The scrape endpoint listens only when a port is given, and on the loopback interface unless told otherwise. */
    private static MetricsSettings metrics(Section metrics) {
        if (!metrics.has("port")) {
            for (String key : List.of("host", "token")) {
                if (metrics.has(key)) {
                    throw metrics.fail(key, "needs metrics.port as well");
                }
            }
            return MetricsSettings.off();
        }
        int port = metrics.integer("port", 0, 0, 65535);
        String host = metrics.text("host").filter(h -> !h.isBlank()).orElse("127.0.0.1");
        java.net.InetSocketAddress address = new java.net.InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw metrics.fail("host", "cannot be resolved: '" + host + "'");
        }
        return new MetricsSettings(Optional.of(address), metrics.secret("token"));
    }

    /**
     * The web console listens only when a port is given, on the loopback interface unless told otherwise; on any
     * other address it must have a token, since anyone who reaches it could otherwise send failed files again.
     */
    private static ConsoleSettings console(Section console) {
        if (!console.has("port")) {
            for (String key : List.of("host", "token")) {
                if (console.has(key)) {
                    throw console.fail(key, "needs console.port as well");
                }
            }
            return ConsoleSettings.off();
        }
        int port = console.integer("port", 0, 0, 65535);
        String host = console.text("host").filter(h -> !h.isBlank()).orElse("127.0.0.1");
        java.net.InetSocketAddress address = new java.net.InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw console.fail("host", "cannot be resolved: '" + host + "'");
        }
        Optional<Secret> token = console.secret("token");
        if (token.isEmpty() && !address.getAddress().isLoopbackAddress()) {
            throw console.fail("host", "is " + host + ", beyond the loopback interface: set console.token too, "
                    + "the secret a person signs in with (or listen on 127.0.0.1)");
        }
        if (token.isPresent() && token.get().reveal().length() < 16) {
            throw console.fail("token", "must be at least 16 characters long");
        }
        return new ConsoleSettings(Optional.of(address), token);
    }

    private static LoggingSettings logging(Section logging) {
        Optional<LoggingSettings.Level> level = logging.text("level").filter(s -> !s.isEmpty())
                .map(text -> parsed(logging, "level", () -> LoggingSettings.Level.parse(text)));
        Map<String, LoggingSettings.Level> levels = new LinkedHashMap<>();
        logging.values("levels").forEach((area, text) -> levels.put(area,
                parsed(logging, "levels." + area, () -> LoggingSettings.Level.parse(text))));
        Optional<LoggingSettings.Format> format = logging.text("format").filter(s -> !s.isEmpty())
                .map(text -> parsed(logging, "format", () -> LoggingSettings.Format.parse(text)));
        return new LoggingSettings(level, levels, format);
    }

    private static <T> T parsed(Section section, String key, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw section.fail(key, e.getMessage());
        }
    }

    private static void warnAboutPolling(Duration pollInterval, URI baseUrl) {
        if (pollInterval.compareTo(MESH_MIN_POLL_INTERVAL) < 0 && !isLocal(baseUrl)) {
            LOG.warn("event=poll_interval_below_mesh_guidance poll_interval={} base_url={} guidance=PT5M",
                    pollInterval, baseUrl);
        }
        if (pollInterval.compareTo(MESH_MAX_POLL_INTERVAL) > 0) {
            LOG.warn("event=poll_interval_above_mesh_guidance poll_interval={} guidance=PT24H", pollInterval);
        }
    }
}
