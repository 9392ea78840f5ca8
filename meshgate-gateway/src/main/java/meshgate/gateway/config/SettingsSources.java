package meshgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The {@link SettingsSource}s on the class path, for one load of the settings. */
final class SettingsSources implements AutoCloseable {
    /** Settings blocks read by modules that the gateway does not depend on, and the module that reads each. */
    private static final Map<String, String> MODULES = Map.of("aws", "meshgate-aws");

    private final List<SettingsSource> sources = new ArrayList<>();
    private final Map<String, SettingsSource> byKind = new HashMap<>();

    private SettingsSources() {
    }

    static SettingsSources onClassPath() {
        SettingsSources found = new SettingsSources();
        for (SettingsSource source : ServiceLoader.load(SettingsSource.class)) {
            found.sources.add(source);
            source.secretKinds().forEach(kind -> found.byKind.put(kind, source));
        }
        return found;
    }

    /**
     * Takes each source's block out of {@code root} and lets the source write the settings it supplies; returns where
     * each of those settings came from.
     */
    Map<String, String> supply(ObjectNode root, Path baseDir, Map<String, String> environment) {
        Map<String, String> supplied = new HashMap<>();
        for (SettingsSource source : sources) {
            JsonNode block = root.remove(source.key());
            Section section = new Section(block == null || block.isNull() ? JsonNodeFactory.instance.objectNode()
                    : block, source.key(), source.settings(), Map.of(), baseDir, environment);
            supplied.putAll(source.supply(section, root));
        }
        for (Map.Entry<String, String> module : MODULES.entrySet()) {
            if (root.has(module.getKey())) {
                throw new ConfigException(module.getKey() + ": needs the " + module.getValue()
                        + " module, which is not on the class path");
            }
        }
        return supplied;
    }

    /** The sources of secret references, by kind. */
    Map<String, SettingsSource> byKind() {
        return Map.copyOf(byKind);
    }

    @Override
    public void close() {
        sources.forEach(SettingsSource::close);
    }
}
