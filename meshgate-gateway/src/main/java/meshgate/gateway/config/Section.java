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
final class Section {
    private final ObjectNode node;
    private final String prefix;
    private final Map<String, String> envSources;
    private final Path baseDir;
    private final Map<String, String> environment;

    /**
     * @param name the mapping's own name ({@code store}, {@code mailboxes[0]}), empty for the top level
     * @param envSources the environment variable that set a setting, by its full name ({@code store.root})
     */
    Section(JsonNode node, String name, Set<String> allowed, Map<String, String> envSources, Path baseDir,
            Map<String, String> environment) {
        if (!(node instanceof ObjectNode object)) {
            throw new ConfigException((name.isEmpty() ? "configuration" : name) + ": must be a mapping of settings");
        }
        this.node = object;
        this.prefix = name.isEmpty() ? "" : name + ".";
        this.envSources = envSources;
        this.baseDir = baseDir;
        this.environment = environment;
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
        return new Section(child, prefix + key, allowed, envSources, baseDir, environment);
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
                    baseDir, environment));
        }
        return sections;
    }

    /** A plain value inside the mapping {@code child}, read before that mapping's settings are checked. */
    Optional<String> peek(String child, String key) {
        return node(child).map(value -> value.get(key)).filter(JsonNode::isValueNode).map(JsonNode::asText)
                .map(String::trim);
    }

    boolean has(String key) {
        return node(key).isPresent();
    }

    Optional<String> text(String key) {
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

    boolean bool(String key, boolean defaultValue) {
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
    List<String> strings(String key) {
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
    Optional<Secret> secret(String key) {
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
        }
        throw fail(key, "must be a value, {env: VARIABLE_NAME} or {file: path/to/file}");
    }

    /** The setting's full name, and the environment variable it came from if it did. */
    String name(String key) {
        String full = prefix + key;
        String variable = envSources.get(full);
        return variable == null ? full : full + " (from " + variable + ")";
    }

    ConfigException fail(String key, String problem) {
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
