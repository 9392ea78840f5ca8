package meshgate.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings and secrets kept outside the settings file, in a store that another module knows how to read (meshgate-aws:
 * SSM Parameter Store and Secrets Manager). Implementations are found with {@link java.util.ServiceLoader}, so the
 * gateway does not depend on them; each load of the settings uses fresh instances and closes them when it ends.
 */
public interface SettingsSource extends AutoCloseable {
    /** The top-level key under which this source's own settings are written, for example {@code aws}. */
    String key();

    /** The settings allowed under {@link #key()}; any other is an error that names it. */
    Set<String> settings();

    /**
     * The kinds of secret reference this source reads: a secret written {@code {kind: reference}}, for example
     * {@code {ssm: /prod-mesh/mesh/MESH_SHARED_KEY}}, anywhere a secret or a PEM value is accepted.
     */
    Set<String> secretKinds();

    /**
     * Reads this source's settings ({@code block} is empty when the settings have none) and writes into {@code root}
     * the settings it supplies that {@code root} does not give itself, so that the file, a profile and
     * {@code MESHGATE_*} variables still win. Secrets are written as references of {@link #secretKinds()}, never as
     * values. Returns, for each setting written (by its full name, such as {@code base_url}), where it came from, for
     * error messages.
     */
    Map<String, String> supply(Block block, ObjectNode root);

    /**
     * The value that a reference of one of {@link #secretKinds()} names. When there is none, throws
     * {@link ConfigException} naming the reference (never a value).
     */
    String resolve(String kind, String reference);

    @Override
    default void close() {
    }

    /** This source's own settings, read with the gateway's formats; every error names the setting. */
    interface Block {
        boolean has(String key);

        Optional<String> text(String key);

        boolean bool(String key, boolean defaultValue);

        List<String> strings(String key);

        /** A secret written as a value, {@code {env: NAME}} or {@code {file: path}}. */
        Optional<Secret> secret(String key);

        ConfigException fail(String key, String problem);
    }
}
