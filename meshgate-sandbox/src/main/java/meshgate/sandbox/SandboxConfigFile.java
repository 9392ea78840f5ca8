package meshgate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a sandbox configuration file. Every top-level field is optional; what is absent keeps its default:
 *
 * <pre>{@code
 * {
 *   "shared_key": "TestKey",
 *   "mailboxes": [
 *     {"mailbox_id": "X26ABC1", "mailbox_name": "TESTMB1", "ods_code": "X26", "password": "password"}
 *   ],
 *   "workflows": [
 *     {"workflow_id": "TEST_WORKFLOW", "senders": ["X26ABC1"], "receivers": ["X26ABC2"]}
 *   ]
 * }
 * }</pre>
 *
 * camelCase spellings ({@code sharedKey}, {@code id}, {@code name}, {@code odsCode}, {@code workflowId}) are also read.
 */
record SandboxConfigFile(Optional<String> sharedKey, Optional<List<SandboxMailbox>> mailboxes,
        Optional<List<SandboxWorkflow>> workflows) {

    static SandboxConfigFile load(Path file, ObjectMapper json) {
        JsonNode root;
        try {
            root = json.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox config " + file, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("sandbox config " + file + " must be a JSON object");
        }
        Optional<String> sharedKey = Optional.ofNullable(text(root, "shared_key", "sharedKey"));
        Optional<List<SandboxMailbox>> mailboxes = Optional.ofNullable(root.get("mailboxes")).map(nodes -> {
            List<SandboxMailbox> list = new ArrayList<>();
            nodes.forEach(n -> list.add(new SandboxMailbox(required(n, "mailbox_id", "id"),
                    text(n, "mailbox_name", "name"), text(n, "ods_code", "odsCode"), required(n, "password"))));
            return list;
        });
        Optional<List<SandboxWorkflow>> workflows = Optional.ofNullable(root.get("workflows")).map(nodes -> {
            List<SandboxWorkflow> list = new ArrayList<>();
            nodes.forEach(n -> list.add(new SandboxWorkflow(required(n, "workflow_id", "workflowId", "id"),
                    strings(n.get("senders")), strings(n.get("receivers")))));
            return list;
        });
        return new SandboxConfigFile(sharedKey, mailboxes, workflows);
    }

    private static String required(JsonNode node, String... names) {
        String value = text(node, names);
        if (value == null) {
            throw new IllegalArgumentException("sandbox config: " + names[0] + " missing in " + node);
        }
        return value;
    }

    private static String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                return value.asText();
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> values.add(v.asText()));
        }
        return values;
    }
}
