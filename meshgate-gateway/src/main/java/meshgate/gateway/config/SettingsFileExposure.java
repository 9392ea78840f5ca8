package meshgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, as ssh does for a private key, when a settings file that holds a secret written into it (not an
 * {@code {env: ...}} or {@code {file: ...}} reference) can be read by users other than its owner: any of them could
 * then send as the mailbox. Only a warning, since a container or a single-user host may be set up so on purpose.
 */
final class SettingsFileExposure {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsFileExposure.class);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ);
    private static final Set<String> SECRET_NAMES = Set.of("shared_key", "password", "private_key_passphrase",
            "pkcs12_password", "secret_access_key", "passphrase", "token", "secret");

    private SettingsFileExposure() {
    }

    /** Logs one WARN line if {@code file} (parsed as {@code tree}) holds a literal secret and others can read it. */
    static void warnIfExposed(Path file, JsonNode tree) {
        Set<PosixFilePermission> mode;
        try {
            if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            mode = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            return;
        }
        if (mode.stream().noneMatch(OTHERS::contains)) {
            return;
        }
        Set<String> secrets = new TreeSet<>();
        collect(tree, "", secrets);
        if (!secrets.isEmpty()) {
            LOG.warn("event=settings_file_readable_by_others file={} mode={} secrets={} fix=\"chmod 600 {} or "
                    + "move the secrets to {{env: NAME}} or {{file: PATH}}\"", file,
                    PosixFilePermissions.toString(mode), String.join(",", secrets), file);
        }
    }

    /** The dotted names (list positions left out) of settings that hold a secret as plain text. */
    private static void collect(JsonNode node, String path, Set<String> found) {
        if (node.isArray()) {
            node.forEach(element -> collect(element, path, found));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode value = field.getValue();
            boolean literalKey = field.getKey().equals("private_key") && value.asText().contains("PRIVATE KEY-----");
            if ((isSecretName(field.getKey()) || literalKey) && value.isValueNode() && !value.isNull()
                    && !value.asText().isEmpty()) {
                found.add(name);
            } else {
                collect(value, name, found);
            }
        }
    }

    private static boolean isSecretName(String key) {
        return SECRET_NAMES.contains(key) || List.of("_password", "_passphrase", "_token", "_secret").stream()
                .anyMatch(key::endsWith);
    }
}
