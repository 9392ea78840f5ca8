package meshgate.aws.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.Secret;
import meshgate.gateway.config.SettingsSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The gateway's settings from AWS: secret references {@code {ssm: name}} and {@code {secretsmanager: name}} anywhere
 * a secret is accepted, and, with {@code aws.name_prefix}, a Terraform MESH module deployment's parameters read as
 * they are (see {@link MeshModuleLayout}): the MESH URL, shared key, client certificate and key, CA bundle, the
 * passwords of {@code aws.mailbox_ids} and the outbound mappings of the store's bucket. Settings in the file, a
 * profile or {@code MESHGATE_*} variables win over the parameters.
 */
public final class AwsSettingsSource implements SettingsSource {
    private static final Logger LOG = LoggerFactory.getLogger(AwsSettingsSource.class);
    static final String SSM = "ssm";
    static final String SECRETS_MANAGER = "secretsmanager";
    private static final String FROM = "aws.name_prefix";

    private AwsStores stores = new AwsStores(AwsStores.Connection.defaults());
    /** The parameters read by path, by name, so that the references written for them need no further call. */
    private Map<String, String> prefetched = Map.of();

    @Override
    public String key() {
        return "aws";
    }

    @Override
    public Set<String> settings() {
        return Set.of("name_prefix", "mailbox_ids", "use_secrets_manager", "region", "endpoint", "ssm_endpoint",
                "secretsmanager_endpoint", "access_key_id", "secret_access_key");
    }

    @Override
    public Set<String> secretKinds() {
        return Set.of(SSM, SECRETS_MANAGER);
    }

    @Override
    public Map<String, String> supply(Block block, ObjectNode root) {
        stores = new AwsStores(connection(block));
        Optional<String> namePrefix = block.text("name_prefix").filter(s -> !s.isBlank());
        if (namePrefix.isEmpty()) {
            for (String key : List.of("mailbox_ids", "use_secrets_manager")) {
                if (block.has(key)) {
                    throw block.fail(key, "needs aws.name_prefix as well");
                }
            }
            return Map.of();
        }
        MeshModuleLayout layout = new MeshModuleLayout(namePrefix.get());
        prefetched = stores.parametersUnder(layout.root());
        String secretKind = block.bool("use_secrets_manager", false) ? SECRETS_MANAGER : SSM;
        Map<String, String> supplied = new HashMap<>();
        meshUrl(layout, root, supplied);
        putSecret(root, "shared_key", secretKind, layout.sharedKey(), supplied);
        clientCertificate(layout, root, secretKind, supplied);
        caBundle(layout, root, supplied);
        List<String> mailboxIds = mailboxes(block, layout, root, secretKind, supplied);
        int mappings = outboundMappings(layout, root, supplied);
        LOG.info("event=aws_settings_read parameter_path={} parameters={} secrets_from={} mailboxes={} "
                + "outbound_mappings={} supplied={}", layout.root() + "/", prefetched.size(),
                secretKind.equals(SSM) ? "ssm" : "secretsmanager", String.join(",", mailboxIds), mappings,
                String.join(",", new TreeMap<>(supplied).keySet()));
        return supplied;
    }

    @Override
    public String resolve(String kind, String reference) {
        if (kind.equals(SSM)) {
            String value = prefetched.get(reference);
            return value != null ? value : stores.parameter(reference).orElseThrow(
                    () -> new ConfigException("SSM parameter " + reference + " does not exist"));
        }
        return stores.secret(reference).orElseThrow(
                () -> new ConfigException("Secrets Manager secret " + reference + " does not exist"));
    }

    @Override
    public void close() {
        stores.close();
    }

    private static AwsStores.Connection connection(Block block) {
        Optional<URI> endpoint = endpoint(block, "endpoint");
        Optional<Secret> keyId = block.secret("access_key_id");
        Optional<Secret> secretKey = block.secret("secret_access_key");
        if (keyId.isPresent() != secretKey.isPresent()) {
            throw block.fail("access_key_id", "give access_key_id and secret_access_key together, or neither "
                    + "(the AWS default credential chain is then used)");
        }
        return new AwsStores.Connection(block.text("region").filter(s -> !s.isBlank()),
                endpoint(block, "ssm_endpoint").or(() -> endpoint),
                endpoint(block, "secretsmanager_endpoint").or(() -> endpoint),
                keyId.map(id -> AwsBasicCredentials.create(id.reveal(), secretKey.get().reveal())));
    }

    private static Optional<URI> endpoint(Block block, String key) {
        return block.text(key).filter(s -> !s.isBlank()).map(text -> {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
                throw block.fail(key, "must be an http:// or https:// URL");
            }
            return URI.create(text);
        });
    }

    /** The module keeps MESH's URL in SSM; a {@code base_url} or {@code mesh_env} in the settings wins. */
    private void meshUrl(MeshModuleLayout layout, ObjectNode root, Map<String, String> supplied) {
        if (root.has("base_url") || root.has("mesh_env")) {
            return;
        }
        String url = prefetched.get(layout.meshUrl());
        if (url == null) {
            throw new ConfigException("base_url: SSM parameter " + layout.meshUrl() + " does not exist (or set "
                    + "base_url or mesh_env)");
        }
        root.put("base_url", url);
        supplied.put("base_url", "SSM parameter " + layout.meshUrl());
    }

    private static void clientCertificate(MeshModuleLayout layout, ObjectNode root, String secretKind,
            Map<String, String> supplied) {
        if (root.has("certificate") || root.has("private_key") || root.has("pkcs12")) {
            return;
        }
        putSecret(root, "certificate", SSM, layout.clientCert(), supplied);
        putSecret(root, "private_key", secretKind, layout.clientKey(), supplied);
    }

    /** The module needs the CA bundle only when the server is verified, so only then is a missing one an error. */
    private void caBundle(MeshModuleLayout layout, ObjectNode root, Map<String, String> supplied) {
        boolean verified = !isTrue(root.get("disable_ssl_verification")) && !isFalse(root.get("verify_ssl"));
        if (verified || prefetched.containsKey(layout.caCert())) {
            putSecret(root, "ca_bundle", SSM, layout.caCert(), supplied);
        }
    }

    private static List<String> mailboxes(Block block, MeshModuleLayout layout, ObjectNode root, String secretKind,
            Map<String, String> supplied) {
        List<String> ids = block.strings("mailbox_ids").stream().map(id -> id.trim().toUpperCase(Locale.ROOT))
                .toList();
        if (ids.isEmpty()) {
            return ids;
        }
        if (root.has("mailbox") || root.has("mailboxes")) {
            throw block.fail("mailbox_ids", "give aws.mailbox_ids or mailbox / mailboxes, not both");
        }
        ArrayNode list = root.putArray("mailboxes");
        for (String id : ids) {
            list.addObject().put("mailbox_id", id).putObject("password").put(secretKind, layout.mailboxPassword(id));
        }
        supplied.put("mailboxes", FROM);
        return ids;
    }

    /**
     * The module's outbound mappings for the store's bucket: each folder with {@code src_mailbox},
     * {@code dest_mailbox} and {@code workflow_id} becomes a mapping of the prefix {@code {folder}/}.
     */
    private int outboundMappings(MeshModuleLayout layout, ObjectNode root, Map<String, String> supplied) {
        JsonNode store = root.path("store");
        String bucket = store.path("bucket").asText("");
        if (root.has("outbound_mappings") || !store.path("type").asText("").equalsIgnoreCase("s3")
                || bucket.isBlank()) {
            return 0;
        }
        String base = layout.mappings(bucket.trim());
        // The module maps a folder exactly; the gateway takes the first mapping whose prefix matches, so the deepest
        // folders go first, and an object in a mapped folder is never addressed by its parent's mapping.
        Map<String, Map<String, String>> folders = new TreeMap<>(
                java.util.Comparator.comparingInt(String::length).reversed().thenComparing(f -> f));
        prefetched.forEach((name, value) -> {
            int slash = name.lastIndexOf('/');
            if (name.startsWith(base) && slash > base.length()) {
                folders.computeIfAbsent(name.substring(base.length(), slash), f -> new LinkedHashMap<>())
                        .put(name.substring(slash + 1), value);
            }
        });
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        folders.forEach((folder, fields) -> {
            for (String field : List.of("src_mailbox", "dest_mailbox", "workflow_id")) {
                if (!fields.containsKey(field)) {
                    throw new ConfigException("outbound_mappings: SSM parameter " + base + folder + "/" + field
                            + " does not exist; the module's mapping for " + folder + "/ needs src_mailbox, "
                            + "dest_mailbox and workflow_id");
                }
            }
            if (!(folder + "/").startsWith("outbound/")) {
                LOG.warn("event=aws_outbound_mapping_ignored parameter_path={} reason=not_under_outbound",
                        base + folder + "/");
                return;
            }
            list.addObject().put("prefix", folder + "/").put("mex_from", fields.get("src_mailbox"))
                    .put("mex_to", fields.get("dest_mailbox")).put("mex_workflowid", fields.get("workflow_id"));
        });
        if (!list.isEmpty()) {
            root.set("outbound_mappings", list);
            supplied.put("outbound_mappings", "SSM parameters under " + base);
        }
        return list.size();
    }

    private static void putSecret(ObjectNode root, String setting, String kind, String name,
            Map<String, String> supplied) {
        if (!root.has(setting)) {
            root.putObject(setting).put(kind, name);
            supplied.put(setting, FROM);
        }
    }

    private static boolean isTrue(JsonNode node) {
        return node != null && List.of("true", "yes").contains(node.asText().trim().toLowerCase(Locale.ROOT));
    }

    private static boolean isFalse(JsonNode node) {
        return node != null && List.of("false", "no").contains(node.asText().trim().toLowerCase(Locale.ROOT));
    }
}
