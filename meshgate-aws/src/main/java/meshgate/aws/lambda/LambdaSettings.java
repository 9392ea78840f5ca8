package meshgate.aws.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;

/**
 * The functions' settings, from the environment the Terraform module gives them (deploy/terraform/aws/locals.tf):
 * the Terraform MESH module's names as {@code MESHGATE_*} variables, the deployment's parameters read from
 * {@code /{name_prefix}-mesh/mesh/} in SSM (or Secrets Manager), the bucket, the ledger's table, the queues and the
 * event bus. {@code MESHGATE_CONFIG}, when set, names a YAML file of further gateway settings (docs/configuration.md)
 * laid under these. {@code MESHGATE_LAMBDA_TIME_RESERVE} (seconds, 30 by default) is the time each invocation keeps
 * back for recording its progress and queuing its continuation.
 */
public record LambdaSettings(GatewayConfig gateway, String sendQueueUrl, String fetchQueueUrl, Duration timeReserve,
        int pageLimit) {
    static final String CONFIG = "MESHGATE_CONFIG";
    static final String SEND_QUEUE = "MESHGATE_SEND_QUEUE_URL";
    static final String FETCH_QUEUE = "MESHGATE_FETCH_QUEUE_URL";
    static final String SQS_ENDPOINT = "MESHGATE_SQS_ENDPOINT";
    static final String TIME_RESERVE = "MESHGATE_LAMBDA_TIME_RESERVE";
    static final Duration DEFAULT_TIME_RESERVE = Duration.ofSeconds(30);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Reads the settings from {@code environment}, as the function's environment holds them. */
    public static LambdaSettings from(Map<String, String> environment) {
        ObjectNode root = Optional.ofNullable(environment.get(CONFIG)).filter(s -> !s.isBlank())
                .map(LambdaSettings::readFile).orElseGet(YAML::createObjectNode);
        Map<String, String> overrides = new HashMap<>(environment);
        ObjectNode aws = object(root, "aws");
        text(environment, "MESHGATE_NAME_PREFIX").ifPresent(v -> aws.put("name_prefix", v));
        text(environment, "MESHGATE_USE_SECRETS_MANAGER").ifPresent(v -> aws.put("use_secrets_manager", v));
        // The module's mailbox list names the mailboxes whose passwords are among its parameters, not variables.
        text(overrides.remove("MESHGATE_MAILBOX_IDS")).ifPresent(ids -> {
            var list = aws.putArray("mailbox_ids");
            for (String id : ids.split(",")) {
                if (!id.isBlank()) {
                    list.add(id.trim());
                }
            }
        });
        text(environment, "MESHGATE_STORE_BUCKET").ifPresent(bucket -> {
            ObjectNode store = object(root, "store");
            store.put("type", "s3");
            store.put("bucket", bucket);
        });
        text(environment, "MESHGATE_LEDGER_TABLE").ifPresent(table -> {
            ObjectNode ledger = object(root, "ledger");
            ledger.put("type", "dynamodb");
            ledger.put("table", table);
            text(environment, "MESHGATE_LEDGER_RECORD_TTL_DAYS").ifPresent(d -> ledger.put("retention_days", d));
        });
        text(environment, "MESHGATE_EVENT_BUS_NAME").ifPresent(bus -> object(root, "events")
                .put("eventbridge_bus", bus));
        if (aws.isEmpty()) {
            root.remove("aws");
        }
        if (!root.has("node_id") && !overrides.containsKey("MESHGATE_NODE_ID")) {
            // One execution environment is one node: its claims are its own, and lapse if it is stopped.
            root.put("node_id", "lambda-" + UUID.randomUUID());
        }
        String yaml;
        try {
            yaml = YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path base = Optional.ofNullable(environment.get(CONFIG)).filter(s -> !s.isBlank())
                .map(p -> Path.of(p).toAbsolutePath().getParent()).orElse(Path.of("/tmp"));
        GatewayConfig config = GatewayConfigLoader.fromYaml(yaml, base, overrides);
        if (config.store().s3().isEmpty()) {
            throw new ConfigException("the functions need an S3 store: set MESHGATE_STORE_BUCKET");
        }
        Duration reserve = text(environment, TIME_RESERVE).map(s -> seconds(TIME_RESERVE, s))
                .orElse(DEFAULT_TIME_RESERVE);
        int pageLimit = text(environment, "MESHGATE_GET_MESSAGES_PAGE_LIMIT").map(s -> positive(
                "MESHGATE_GET_MESSAGES_PAGE_LIMIT", s)).orElse(500);
        return new LambdaSettings(config, environment.getOrDefault(SEND_QUEUE, ""),
                environment.getOrDefault(FETCH_QUEUE, ""), reserve, pageLimit);
    }

    private static ObjectNode readFile(String path) {
        try {
            JsonNode node = YAML.readTree(Files.readString(Path.of(path)));
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new ConfigException(CONFIG + ": " + path + " is not a YAML mapping of settings");
        } catch (IOException e) {
            throw new ConfigException(CONFIG + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    private static ObjectNode object(ObjectNode root, String name) {
        return root.get(name) instanceof ObjectNode existing ? existing : root.putObject(name);
    }

    private static Optional<String> text(Map<String, String> environment, String name) {
        return text(environment.get(name));
    }

    private static Optional<String> text(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static Duration seconds(String name, String text) {
        return Duration.ofSeconds(positive(name, text));
    }

    private static int positive(String name, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + ": must be a whole number above 0, got '" + text + "'");
        }
    }
}
