package meshgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One YAML mapping of settings being read: typed getters that name the setting in every error, and a check that
 * every key present is one this mapping allows.
 */
final class Section implements SettingsSource.Block {
    private final ObjectNode node;
    private final String prefix;
    private final Map<String, String> envSources;
    private final Path baseDir;
    private final Map<String, String> environment;
    /** The sources that read secret references other than env and file, by kind ({@code ssm}, ...). */
    private final Map<String, SettingsSource> stores;

    /**
     * @param name the mapping's own name ({@code store}, {@code mailboxes[0]}), empty for the top level
     * @param envSources the environment variable that set a setting, by its full name ({@code store.root})
     */
    Section(JsonNode node, String name, Set<String> allowed, Map<String, String> envSources, Path baseDir,
            Map<String, String> environment) {
        this(node, name, allowed, envSources, baseDir, environment, Map.of());
    }

    /** @param stores the sources of secret references other than env and file, by kind */
    Section(JsonNode node, String name, Set<String> allowed, Map<String, String> envSources, Path baseDir,
            Map<String, String> environment, Map<String, SettingsSource> stores) {
        if (!(node instanceof ObjectNode object)) {
            throw new ConfigException((name.isEmpty() ? "configuration" : name) + ": must be a mapping of settings");
        }
        this.node = object;
        this.prefix = name.isEmpty() ? "" : name + ".";
        this.envSources = envSources;
        this.baseDir = baseDir;
        this.environment = environment;
        this.stores = stores;
        for (Iterator<String> keys = object.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!allowed.contains(key)) {
                throw new ConfigException(prefix + key + ": unknown setting" + suggestion(key, allowed));
            }
        }
    }

    /** A nested mapping; when absent, an empty one so that every setting in it takes its default. */
    Section child(String key, Set<String> allowed) {
        JsonNode child = node(key).orElseGet(() -> node.objectNode());
        return new Section(child, prefix + key, allowed, envSources, baseDir, environment, stores);
    }

    /** The mappings of a list setting; empty when absent. */
    List<Section> list(String key, Set<String> allowed) {
        Optional<JsonNode> value = node(key);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!value.get().isArray()) {
            throw fail(key, "must be a list");
        }
        List<Section> sections = new ArrayList<>();
        for (JsonNode element : value.get()) {
            sections.add(new Section(element, prefix + key + "[" + sections.size() + "]", allowed, envSources,
                    baseDir, environment, stores));
        }
        return sections;
    }

    /** A plain value inside the mapping {@code child}, read before that mapping's settings are checked. */
    Optional<String> peek(String child, String key) {
        return node(child).map(value -> value.get(key)).filter(JsonNode::isValueNode).map(JsonNode::asText)
                .map(String::trim);
    }

    /**
     * A mapping of names of one's choosing (logger names, say) to single values; empty when absent. Keys are taken
     * as written, dots and all.
     */
    Map<String, String> values(String key) {
        Optional<JsonNode> value = node(key);
        if (value.isEmpty()) {
            return Map.of();
        }
        if (!value.get().isObject()) {
            throw fail(key, "must be a mapping of names to values");
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.get().properties()) {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw fail(key + "." + entry.getKey(), "must be a single value");
            }
            values.put(entry.getKey(), entry.getValue().asText().trim());
        }
        return values;
    }

    @Override
    public boolean has(String key) {
        return node(key).isPresent();
    }

    @Override
    public Optional<String> text(String key) {
        Optional<JsonNode> value = node(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isValueNode()) {
            throw fail(key, "must be a single value, not a list or mapping");
        }
        return Optional.of(value.get().asText().trim());
    }

    String required(String key) {
        return text(key).filter(s -> !s.isEmpty()).orElseThrow(() -> fail(key, "is required"));
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        return text(key).map(text -> parse(key, () -> SettingFormats.bool(text))).orElse(defaultValue);
    }

    long size(String key, long defaultValue) {
        return text(key).map(text -> parse(key, () -> SettingFormats.size(text))).orElse(defaultValue);
    }

    Duration duration(String key, Duration defaultValue, boolean zeroAllowed) {
        Duration value = text(key).map(text -> parse(key, () -> SettingFormats.duration(text))).orElse(defaultValue);
        if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw fail(key, zeroAllowed ? "must not be negative, got " + value : "must be more than zero, got " + value);
        }
        return value;
    }

    int integer(String key, int defaultValue, int min, int max) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw fail(key, "must be a whole number, got '" + text.get() + "'");
        }
        if (value < min || value > max) {
            throw fail(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return (int) value;
    }

    /** A path, relative ones resolved against the configuration file's folder. */
    Optional<Path> path(String key) {
        return text(key).filter(s -> !s.isEmpty()).map(text -> {
            try {
                return baseDir.resolve(text).normalize();
            } catch (InvalidPathException e) {
                throw fail(key, "'" + text + "' is not a valid path");
            }
        });
    }

    /** A path relative to the configuration file's folder. */
    Path resolve(String relative) {
        return baseDir.resolve(relative).normalize();
    }

    /** A list of plain values; empty when absent. */
    @Override
    public List<String> strings(String key) {
        Optional<JsonNode> value = node(key);
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        if (value.get().isArray()) {
            for (JsonNode element : value.get()) {
                if (element.isValueNode() && !element.isNull()) {
                    strings.add(element.asText());
                } else {
                    strings = null;
                    break;
                }
            }
        }
        if (strings == null || !value.get().isArray()) {
            throw fail(key, "must be a list of strings, such as [/usr/local/bin/notify, --quiet]");
        }
        return strings;
    }

    /** A path to a file that must exist now. */
    Optional<Path> existingFile(String key) {
        Optional<Path> path = path(key);
        if (path.isPresent() && !Files.isRegularFile(path.get())) {
            throw fail(key, "file " + path.get() + " does not exist");
        }
        return path;
    }

    /**
     * A secret: a plain value, {@code {env: NAME}} or {@code {file: path}}. Read once here so that a missing
     * variable or file is reported at start-up rather than at first use.
     */
    @Override
    public Optional<Secret> secret(String key) {
        Optional<JsonNode> value = node(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Secret secret = secretOf(key, value.get());
        String revealed;
        try {
            revealed = secret.reveal();
        } catch (ConfigException e) {
            throw fail(key, e.getMessage());
        }
        if (revealed.isEmpty()) {
            throw fail(key, "is empty (" + secret.source() + ")");
        }
        return Optional.of(secret);
    }

    private Secret secretOf(String key, JsonNode value) {
        if (value.isValueNode()) {
            return Secret.literal(value.asText());
        }
        if (value.isObject() && value.size() == 1) {
            JsonNode env = value.get("env");
            if (env != null && env.isTextual() && !env.asText().isBlank()) {
                return Secret.env(env.asText().trim(), environment);
            }
            JsonNode file = value.get("file");
            if (file != null && file.isTextual() && !file.asText().isBlank()) {
                try {
                    return Secret.file(baseDir.resolve(file.asText().trim()));
                } catch (InvalidPathException e) {
                    throw fail(key, "'" + file.asText() + "' is not a valid path");
                }
            }
            String kind = value.fieldNames().next();
            JsonNode reference = value.get(kind);
            SettingsSource store = stores.get(kind);
            if (store != null && reference.isTextual() && !reference.asText().isBlank()) {
                return stored(key, store, kind, reference.asText().trim());
            }
        }
        throw fail(key, "must be a value, {env: VARIABLE_NAME} or {file: path/to/file}"
                + stores.keySet().stream().sorted().map(kind -> ", {" + kind + ": name}").reduce("", String::concat));
    }

    /** A store's value is read now, so that a missing one stops start-up with the setting and the reference. */
    private Secret stored(String key, SettingsSource store, String kind, String reference) {
        try {
            return Secret.stored(kind + " " + reference, store.resolve(kind, reference));
        } catch (ConfigException e) {
            throw fail(key, e.getMessage());
        }
    }

    /**
     * A PEM certificate, key or CA bundle: the path of a file that must exist now, PEM text written in place, or a
     * secret ({@code {env: NAME}}, {@code {file: path}}, or a store's reference) whose value is the PEM text.
     */
    Optional<PemSource> pem(String key) {
        Optional<JsonNode> value = node(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get().isTextual() && value.get().asText().strip().startsWith("-----BEGIN ")) {
            return Optional.of(PemSource.value(Secret.literal(value.get().asText())));
        }
        if (value.get().isObject()) {
            return secret(key).map(PemSource::value);
        }
        return existingFile(key).map(PemSource::file);
    }

    /** The setting's full name, and the environment variable it came from if it did. */
    String name(String key) {
        String full = prefix + key;
        String variable = envSources.get(full);
        return variable == null ? full : full + " (from " + variable + ")";
    }

    @Override
    public ConfigException fail(String key, String problem) {
        return new ConfigException(name(key) + ": " + problem);
    }

    private Optional<JsonNode> node(String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private <T> T parse(String key, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw fail(key, e.getMessage());
        }
    }

    private static String suggestion(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int distance = distance(key, candidate);
            if (distance < bestDistance || (distance == bestDistance && best != null && candidate.compareTo(best) < 0)) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
