package meshgate.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Terraform module in deploy/terraform/aws, read as HCL structure: it takes the Terraform MESH module's variables,
 * gives each function only the permissions it uses, and hardens the bucket, table and queues. {@code terraform
 * validate} and {@code plan} need the AWS provider, which cannot be downloaded here; deploy/terraform/aws/CHECK.md
 * says how to run them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformModuleTest {
    private static final Path MODULE = Path.of("..", "deploy", "terraform", "aws");
    private static final String REQUIRED = "<required>";
    private static final List<String> FUNCTIONS = List.of("send", "poll", "fetch", "handshake", "track");

    /**
     * The Terraform MESH module's variables (module/variables.tf of NHSDigital/terraform-aws-mesh-client): type and
     * default there, and the default here where it differs on purpose, with the reason.
     */
    private static final Map<String, ModuleVariable> MESH_MODULE_VARIABLES = variables(
            same("name_prefix", "string", REQUIRED),
            differs("account_id", "string", REQUIRED, null, "read from the caller's identity when not given"),
            same("region", "string", "eu-west-2"),
            same("mesh_env", "string", REQUIRED),
            same("verify_ssl", "bool", true),
            same("verify_checks_common_name", "bool", true),
            same("use_secrets_manager", "bool", false),
            same("use_sender_filename", "bool", false),
            same("use_s3_key_for_mex_filename", "bool", false),
            same("use_legacy_inbound_location", "bool", false),
            same("chunk_size", "number", 20L * 1024 * 1024),
            same("crumb_size", "number", null),
            same("never_compress", "bool", false),
            same("compress_threshold", "number", 20L * 1024 * 1024),
            same("vpc_id", "string", ""),
            differs("subnet_ids", "set(string)", REQUIRED, List.of(), "not needed outside a VPC"),
            same("mailboxes", null, List.of()),
            same("mailbox_ids", "set(string)", REQUIRED),
            same("cloudwatch_retention_in_days", "number", 365L),
            same("cloudtrail_cloudwatch_log_retention_in_days", "number", 30L),
            same("s3logs_retention_in_days", "number", 7L),
            same("get_messages_enabled", "bool", true),
            same("mesh_s3_object_expiry_in_days", "number", 60L),
            same("mesh_s3_object_expiry_enabled", "bool", false),
            same("cloudtrail_enabled", "bool", true),
            same("get_message_max_concurrency", "number", 1L),
            same("get_messages_schedule", "string", "rate(1 minute)"),
            same("get_messages_page_limit", "number", 500L),
            same("handshake_schedule", "string", "rate(1 hour)"),
            differs("fetch_message_ephemeral_storage_size", "number", 10240L, 512L,
                    "messages stream to S3 a part at a time, nothing is buffered on disk"),
            same("aws_s3_endpoint_prefix_list_id", "string", ""),
            same("aws_ssm_endpoint_sg_id", "string", ""),
            same("aws_sfn_endpoint_sg_id", "string", ""),
            same("aws_logs_endpoints_sg_id", "string", ""),
            same("aws_kms_endpoints_sg_id", "string", ""),
            same("aws_lambda_endpoints_sg_id", "string", ""),
            same("aws_secrets_endpoints_sg_id", "string", ""),
            differs("fetch_message_lambda_memory_size", "number", 128L, 512L,
                    "a Java 21 function holding one chunk plus one part"),
            differs("send_message_lambda_memory_size", "number", 128L, 512L,
                    "a Java 21 function holding one chunk plus one part"),
            same("permissions_boundary_arn", "string", null));

    private static final String BUCKET = "${aws_s3_bucket.mesh.arn}";
    private static final String TABLE = "${aws_dynamodb_table.ledger.arn}";
    private static final String KEY = "${aws_kms_key.mesh.arn}";
    private static final String EVENT_BUS = "${local.event_bus_arn}";
    private static final Set<String> LEDGER = grant(Set.of(
            "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem",
            "dynamodb:UpdateItem", "dynamodb:Query"),
            TABLE, TABLE + "/index/by_state");
    private static final Set<String> QUEUE_CONSUMER = Set.of(
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
            "sqs:SendMessage");
    private static final Set<String> BUCKET_KEY = grant(Set.of("kms:Decrypt", "kms:GenerateDataKey"), KEY);
    private static final Set<String> LOOK_UP_ABSENT_KEYS = grant(Set.of("s3:ListBucket"), BUCKET);

    /**
     * Function -> every permission its role may have, as "action resource": what the function's code does and
     * nothing more.
     */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "send", union(settings("send"), LEDGER, BUCKET_KEY, LOOK_UP_ABSENT_KEYS,
                    grant(Set.of("s3:GetObject", "s3:DeleteObject"), BUCKET + "/outbound/*"),
                    grant(Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
                            BUCKET + "/sent/*", BUCKET + "/failed/*"),
                    grant(QUEUE_CONSUMER, "${aws_sqs_queue.send.arn}"),
                    grant(Set.of("events:PutEvents"), EVENT_BUS)),
            "poll", union(settings("poll"), LEDGER,
                    grant(Set.of("sqs:SendMessage"), "${aws_sqs_queue.fetch.arn}")),
            "fetch", union(settings("fetch"), LEDGER, grant(Set.of("dynamodb:DeleteItem"), TABLE, TABLE + "/index/by_state"),
                    BUCKET_KEY, LOOK_UP_ABSENT_KEYS,
                    grant(Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                            "s3:ListMultipartUploadParts"), BUCKET + "/inbound/*"),
                    grant(QUEUE_CONSUMER, "${aws_sqs_queue.fetch.arn}"),
                    grant(Set.of("events:PutEvents"), EVENT_BUS)),
            "handshake", settings("handshake"),
            "track", union(settings("track"), LEDGER, grant(Set.of("events:PutEvents"), EVENT_BUS)));

    private HclModule module;

    @BeforeAll
    void convertTheModule() throws Exception {
        module = HclModule.load(MODULE);
    }

    @Test
    void declaresEveryVariableOfTheTerraformMeshModuleWithACompatibleDefault() {
        List<String> problems = new ArrayList<>();
        MESH_MODULE_VARIABLES.values().forEach(expected -> module.variable(expected.name()).ifPresentOrElse(
                declared -> problems.addAll(expected.problemsWith(declared)),
                () -> problems.add(expected.name() + ": not declared")));
        assertThat(problems).isEmpty();
    }

    @Test
    void acceptsCloudtrailEnabledAndDocumentsItAsNoLongerNeeded() throws IOException {
        assertThat(module.variable("cloudtrail_enabled").orElseThrow().path("description").asText())
                .containsIgnoringCase("no longer needed");
        assertThat(module.allText()).as("accepted, used by nothing").doesNotContain("var.cloudtrail_enabled");
    }

    @Test
    void everyFunctionsRoleAllowsOnlyTheActionsAndResourcesThatFunctionUses() {
        JsonNode policies = module.local("function_policies");
        assertThat(names(policies)).containsExactlyInAnyOrderElementsOf(FUNCTIONS);
        for (String function : FUNCTIONS) {
            assertThat(policies.path(function).asText())
                    .isEqualTo("${data.aws_iam_policy_document." + function + ".json}");
            List<JsonNode> statements = statements(module.data("aws_iam_policy_document", function).orElseThrow());
            assertThat(statements).as("%s's statements", function)
                    .allSatisfy(s -> assertThat(s.path("effect").asText("Allow")).isEqualTo("Allow"));
            assertThat(permissions(statements)).as("%s's permissions", function)
                    .containsExactlyInAnyOrderElementsOf(ALLOWED.get(function));
        }
        JsonNode rolePolicy = module.resource("aws_iam_role_policy", "function").orElseThrow();
        assertThat(rolePolicy.path("for_each").asText()).isEqualTo("${local.function_policies}");
        assertThat(rolePolicy.path("policy").asText()).isEqualTo("${each.value}");
        assertThat(rolePolicy.path("role").asText()).isEqualTo("${aws_iam_role.function[each.key].id}");
    }

    @Test
    void sharedPoliciesAreLimitedToNetworkInterfacesAndScheduledInvocations() {
        assertThat(actions(statements(module.data("aws_iam_policy_document", "vpc_access").orElseThrow())))
                .containsExactlyInAnyOrder("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                        "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                        "ec2:UnassignPrivateIpAddresses");
        List<JsonNode> scheduler = statements(module.data("aws_iam_policy_document", "scheduler").orElseThrow());
        assertThat(actions(scheduler)).containsExactly("lambda:InvokeFunction");
        assertThat(resources(scheduler)).containsExactlyInAnyOrder("${aws_lambda_alias.function[\"poll\"].arn}",
                "${aws_lambda_alias.function[\"handshake\"].arn}", "${aws_lambda_alias.function[\"track\"].arn}");
    }

    @Test
    void functionsRunJava21FromPublishedSnapStartVersions() {
        JsonNode functions = module.local("functions");
        assertThat(names(functions)).containsExactlyInAnyOrderElementsOf(FUNCTIONS);
        Map<String, String> handlers = Map.of("send", "SendHandler", "poll", "PollHandler", "fetch", "FetchHandler",
                "handshake", "HandshakeHandler", "track", "TrackHandler");
        handlers.forEach((function, handler) -> assertThat(module.local("handlers").path(function).asText())
                .isEqualTo("meshgate.aws.lambda." + handler + "::handleRequest"));
        JsonNode lambda = module.resource("aws_lambda_function", "function").orElseThrow();
        assertThat(lambda.path("runtime").asText()).isEqualTo("java21");
        assertThat(lambda.path("publish").asBoolean()).isTrue();
        assertThat(lambda.path("snap_start").get(0).path("apply_on").asText()).isEqualTo("PublishedVersions");
        assertThat(module.variable("lambda_artifact").orElseThrow().path("default").asText())
                .isEqualTo("../../../meshgate-aws/target/meshgate-aws-lambda.zip");
        assertThat(module.resource("aws_lambda_alias", "function").orElseThrow().path("function_version").asText())
                .isEqualTo("${aws_lambda_function.function[each.key].version}");
    }

    @Test
    void everyFunctionLogsToItsOwnGroupKeptForCloudwatchRetentionInDays() {
        JsonNode group = module.resource("aws_cloudwatch_log_group", "function").orElseThrow();
        assertThat(group.path("for_each").asText()).isEqualTo("${local.functions}");
        assertThat(group.path("retention_in_days").asText()).isEqualTo("${var.cloudwatch_retention_in_days}");
        assertThat(group.path("kms_key_id").asText()).isEqualTo(KEY);
        assertThat(module.resource("aws_lambda_function", "function").orElseThrow().path("logging_config").get(0)
                .path("log_group").asText()).isEqualTo("${aws_cloudwatch_log_group.function[each.key].name}");
    }

    @Test
    void fetchConcurrencyIsBoundedByGetMessageMaxConcurrency() {
        assertThat(module.local("functions").path("fetch").path("reserved_concurrency").asText())
                .isEqualTo("${var.get_message_max_concurrency}");
        assertThat(module.resource("aws_lambda_function", "function").orElseThrow()
                .path("reserved_concurrent_executions").asText()).isEqualTo("${each.value.reserved_concurrency}");
        JsonNode fetchSource = module.resource("aws_lambda_event_source_mapping", "fetch").orElseThrow();
        assertThat(fetchSource.path("dynamic").path("scaling_config").get(0).path("content").get(0)
                .path("maximum_concurrency").asText()).isEqualTo("${var.get_message_max_concurrency}");
    }

    @Test
    void bucketHasEveryHardeningSetting() {
        assertThat(module.resource("aws_s3_bucket_versioning", "mesh").orElseThrow()
                .path("versioning_configuration").get(0).path("status").asText()).isEqualTo("Enabled");
        JsonNode encryption = module.resource("aws_s3_bucket_server_side_encryption_configuration", "mesh")
                .orElseThrow().path("rule").get(0).path("apply_server_side_encryption_by_default").get(0);
        assertThat(encryption.path("sse_algorithm").asText()).isEqualTo("aws:kms");
        assertThat(encryption.path("kms_master_key_id").asText()).isEqualTo(KEY);
        JsonNode publicAccess = module.resource("aws_s3_bucket_public_access_block", "mesh").orElseThrow();
        for (String setting : List.of("block_public_acls", "block_public_policy", "ignore_public_acls",
                "restrict_public_buckets")) {
            assertThat(publicAccess.path(setting).asBoolean()).as(setting).isTrue();
        }
        assertThat(module.resource("aws_s3_bucket_policy", "mesh_bucket_policy").orElseThrow().path("policy").asText())
                .isEqualTo("${data.aws_iam_policy_document.mesh_bucket_policy.json}");
        assertThat(statements(module.data("aws_iam_policy_document", "mesh_bucket_policy").orElseThrow()))
                .anySatisfy(s -> {
                    assertThat(s.path("effect").asText()).isEqualTo("Deny");
                    assertThat(actions(List.of(s))).containsExactly("s3:*");
                    assertThat(s.path("condition").get(0).path("variable").asText()).isEqualTo("aws:SecureTransport");
                    assertThat(s.path("condition").get(0).path("values").get(0).asText()).isEqualTo("false");
                });
        List<JsonNode> rules = list(module.resource("aws_s3_bucket_lifecycle_configuration", "mesh").orElseThrow()
                .path("rule"));
        assertThat(rules).as("an always-enabled rule aborting incomplete multipart uploads").anySatisfy(r -> {
            assertThat(r.path("status").asText()).isEqualTo("Enabled");
            assertThat(r.path("abort_incomplete_multipart_upload").get(0).path("days_after_initiation").asInt())
                    .isPositive();
        });
        assertThat(rules).as("object expiry from mesh_s3_object_expiry_*").anySatisfy(r -> {
            assertThat(r.path("status").asText()).contains("var.mesh_s3_object_expiry_enabled");
            assertThat(r.path("expiration").get(0).path("days").asText())
                    .isEqualTo("${var.mesh_s3_object_expiry_in_days}");
        });
        assertThat(module.resource("aws_s3_bucket_notification", "mesh").orElseThrow().path("eventbridge")
                .asBoolean()).isTrue();
    }

    @Test
    void ledgerTableIsOnDemandWithPointInTimeRecoveryAndTheAgreedKeys() {
        JsonNode table = module.resource("aws_dynamodb_table", "ledger").orElseThrow();
        assertThat(table.path("billing_mode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.path("point_in_time_recovery").get(0).path("enabled").asBoolean()).isTrue();
        assertThat(table.path("hash_key").asText()).isEqualTo("pk");
        assertThat(table.path("range_key").isMissingNode()).as("no sort key, as LedgerTable creates it").isTrue();
        assertThat(table.path("ttl").get(0).path("attribute_name").asText()).isEqualTo("expires_at");
        assertThat(table.path("ttl").get(0).path("enabled").asBoolean()).isTrue();
        JsonNode index = table.path("global_secondary_index").get(0);
        assertThat(index.path("name").asText()).isEqualTo("by_state");
        assertThat(index.path("hash_key").asText()).isEqualTo("list_state");
        assertThat(index.path("range_key").asText()).isEqualTo("list_order");
        assertThat(index.path("projection_type").asText()).isEqualTo("KEYS_ONLY");
        assertThat(list(table.path("attribute")).stream().map(a -> a.path("name").asText() + ":"
                + a.path("type").asText())).containsExactlyInAnyOrder("pk:S", "list_state:S", "list_order:N");
    }

    @Test
    void everyQueueHasADeadLetterQueueWithADepthAlarm() {
        Map<String, JsonNode> queues = module.resources("aws_sqs_queue");
        Pattern queueArn = Pattern.compile("aws_sqs_queue\\.(\\w+)\\.arn");
        Set<String> deadLetterQueues = new TreeSet<>();
        Set<String> workQueues = new TreeSet<>();
        queues.forEach((name, queue) -> {
            Matcher target = queueArn.matcher(queue.path("redrive_policy").asText());
            if (target.find()) {
                workQueues.add(name);
                deadLetterQueues.add(target.group(1));
            }
        });
        module.resources("aws_cloudwatch_event_target").values().forEach(target -> {
            Matcher dlq = queueArn.matcher(target.path("dead_letter_config").path(0).path("arn").asText());
            assertThat(dlq.find()).as("every EventBridge target has a dead-letter queue").isTrue();
            deadLetterQueues.add(dlq.group(1));
        });
        assertThat(workQueues).contains("send", "fetch");
        assertThat(union(workQueues, deadLetterQueues)).as("each queue is a work queue or a dead-letter queue")
                .containsExactlyInAnyOrderElementsOf(queues.keySet());
        Set<String> alarmed = module.resources("aws_cloudwatch_metric_alarm").values().stream()
                .filter(a -> a.path("namespace").asText().equals("AWS/SQS"))
                .filter(a -> a.path("metric_name").asText().equals("ApproximateNumberOfMessagesVisible"))
                .filter(a -> a.path("threshold").asInt(-1) == 0)
                .map(a -> a.path("dimensions").path("QueueName").asText())
                .collect(Collectors.toSet());
        assertThat(deadLetterQueues).isNotEmpty().allSatisfy(dlq -> assertThat(alarmed).as("alarm on %s", dlq)
                .contains("${aws_sqs_queue." + dlq + ".name}"));
    }

    @Test
    void schedulesPollAndHandshakeEachMailboxAndTrackDeliveries() {
        JsonNode poll = module.resource("aws_scheduler_schedule", "poll").orElseThrow();
        assertThat(poll.path("for_each").asText()).isEqualTo("${var.mailbox_ids}");
        assertThat(poll.path("schedule_expression").asText()).isEqualTo("${var.get_messages_schedule}");
        assertThat(poll.path("state").asText()).contains("var.get_messages_enabled");
        JsonNode handshake = module.resource("aws_scheduler_schedule", "handshake").orElseThrow();
        assertThat(handshake.path("for_each").asText()).isEqualTo("${var.mailbox_ids}");
        assertThat(handshake.path("schedule_expression").asText()).isEqualTo("${var.handshake_schedule}");
        assertThat(module.resource("aws_scheduler_schedule", "track").orElseThrow().path("schedule_expression")
                .asText()).isEqualTo("${var.tracking_schedule}");
    }

    @Test
    void sendQueueIsFedByObjectsCreatedUnderOutbound() {
        JsonNode rule = module.resource("aws_cloudwatch_event_rule", "outbound").orElseThrow();
        assertThat(rule.path("event_pattern").asText()).contains("Object Created").contains("outbound/");
        assertThat(module.resource("aws_cloudwatch_event_target", "outbound").orElseThrow().path("arn").asText())
                .isEqualTo("${aws_sqs_queue.send.arn}");
        assertThat(module.resource("aws_lambda_event_source_mapping", "send").orElseThrow()
                .path("event_source_arn").asText()).isEqualTo("${aws_sqs_queue.send.arn}");
    }

    @Test
    void outputsBeginWithTheBucketNameAndIncludeEveryOutputOfTheTerraformMeshModule() throws IOException {
        Matcher first = Pattern.compile("(?m)^output \"(\\w+)\"").matcher(module.text("outputs.tf"));
        assertThat(first.find()).isTrue();
        assertThat(first.group(1)).isEqualTo("mesh_s3_bucket_name");
        for (String output : List.of("mesh_s3_bucket_name", "mesh_s3_logs_bucket_name", "mesh_kms_key_arn",
                "send_message_sg_id", "get_messages_sg_id", "poll_mailbox_sg_id", "step_function_get_messages_arn",
                "step_function_send_messages_arn", "lambda_check_send_parameters_log_group_name",
                "lambda_fetch_message_chunk_log_group_name", "lambda_poll_mailbox_log_group_name",
                "lambda_send_message_chunk_log_group_name", "stepfunction_get_messages_log_group_name",
                "stepfunction_send_message_log_group_name", "stepfunction_send_messages_log_group_name")) {
            assertThat(module.output(output)).as(output).isPresent();
        }
    }

    @Test
    void functionsInAVpcUseTheGivenEndpoints() {
        JsonNode endpoints = module.local("endpoint_security_group_ids");
        String text = endpoints.asText();
        for (String variable : List.of("aws_ssm_endpoint_sg_id", "aws_sfn_endpoint_sg_id",
                "aws_logs_endpoints_sg_id", "aws_kms_endpoints_sg_id", "aws_lambda_endpoints_sg_id",
                "aws_secrets_endpoints_sg_id")) {
            assertThat(text).as(variable).contains("var." + variable);
        }
        assertThat(module.resource("aws_vpc_security_group_egress_rule", "endpoints").orElseThrow()
                .path("referenced_security_group_id").asText()).isEqualTo("${each.key}");
        assertThat(module.local("endpoint_prefix_list_ids").asText()).contains("var.aws_s3_endpoint_prefix_list_id");
        JsonNode vpcConfig = module.resource("aws_lambda_function", "function").orElseThrow()
                .path("dynamic").path("vpc_config").get(0).path("content").get(0);
        assertThat(vpcConfig.path("subnet_ids").asText()).isEqualTo("${var.subnet_ids}");
        assertThat(vpcConfig.path("security_group_ids").toString()).contains("aws_security_group.functions[0].id");
    }

    // --- reading policy documents

    private static List<JsonNode> statements(JsonNode document) {
        List<JsonNode> statements = new ArrayList<>(list(document.path("statement")));
        for (JsonNode dynamic : list(document.path("dynamic").path("statement"))) {
            statements.addAll(list(dynamic.path("content")));
        }
        return statements;
    }

    private static Set<String> actions(List<JsonNode> statements) {
        return values(statements, "actions");
    }

    private static Set<String> resources(List<JsonNode> statements) {
        return values(statements, "resources");
    }

    private static Set<String> values(List<JsonNode> statements, String field) {
        Set<String> found = new TreeSet<>();
        for (JsonNode statement : statements) {
            JsonNode value = statement.path(field);
            if (value.isArray()) {
                value.forEach(v -> found.add(v.asText()));
            } else if (!value.isMissingNode()) {
                found.add(value.asText());
            }
        }
        return found;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Each "action resource" pair a policy's statements allow. */
    private static Set<String> permissions(List<JsonNode> statements) {
        Set<String> pairs = new TreeSet<>();
        for (JsonNode statement : statements) {
            for (String resource : resources(List.of(statement))) {
                pairs.addAll(grant(actions(List.of(statement)), resource));
            }
        }
        return pairs;
    }

    private static Set<String> grant(Set<String> actions, String... resources) {
        Set<String> pairs = new TreeSet<>();
        for (String action : actions) {
            for (String resource : resources) {
                pairs.add(action + " " + resource);
            }
        }
        return pairs;
    }

    /** What every function has: its settings (SSM, or Secrets Manager and their keys) and its own log group. */
    private static Set<String> settings(String function) {
        return union(
                grant(Set.of("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"),
                        "${local.settings_parameter_arns}"),
                grant(Set.of("secretsmanager:GetSecretValue"), "${local.settings_secret_arns}"),
                grant(Set.of("kms:Decrypt"), "${local.secrets_kms_key_arns}"),
                grant(Set.of("logs:CreateLogStream", "logs:PutLogEvents"),
                        "${aws_cloudwatch_log_group.function[\"" + function + "\"].arn}:*"));
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    // --- the module's variables

    private static Map<String, ModuleVariable> variables(ModuleVariable... variables) {
        Map<String, ModuleVariable> byName = new LinkedHashMap<>();
        for (ModuleVariable variable : variables) {
            byName.put(variable.name(), variable);
        }
        return byName;
    }

    private static ModuleVariable same(String name, String type, Object moduleDefault) {
        return new ModuleVariable(name, type, moduleDefault, moduleDefault, "");
    }

    private static ModuleVariable differs(String name, String type, Object moduleDefault, Object ours, String why) {
        return new ModuleVariable(name, type, moduleDefault, ours, why);
    }

    /**
     * One variable of the Terraform MESH module. A caller's module block stays valid when the type is the same and
     * the default is the module's, or where the module required a value, when one is still accepted.
     */
    private record ModuleVariable(String name, String type, Object moduleDefault, Object ours, String why) {
        List<String> problemsWith(JsonNode declared) {
            List<String> problems = new ArrayList<>();
            if (type != null && !declared.path("type").asText().equals("${" + type + "}")) {
                problems.add(name + ": type " + declared.path("type").asText() + ", expected " + type);
            }
            Object actual = declared.has("default") ? value(declared.get("default")) : REQUIRED;
            if (!Objects.equals(actual, ours)) {
                problems.add(name + ": default " + actual + ", expected " + ours
                        + (why.isEmpty() ? " (the Terraform MESH module's)" : " (" + why + ")"));
            }
            return problems;
        }

        /** A default as a Java value; {@code "${20 * 1024 * 1024}"} is multiplied out. */
        private static Object value(JsonNode node) {
            if (node.isNull()) {
                return null;
            }
            if (node.isBoolean()) {
                return node.asBoolean();
            }
            if (node.isNumber()) {
                return node.asLong();
            }
            if (node.isArray()) {
                List<Object> items = new ArrayList<>();
                node.forEach(n -> items.add(value(n)));
                return items;
            }
            Matcher product = Pattern.compile("\\$\\{\\s*(\\d+(?:\\s*\\*\\s*\\d+)*)\\s*}").matcher(node.asText());
            if (product.matches()) {
                long result = 1;
                for (String factor : product.group(1).split("\\*")) {
                    result *= Long.parseLong(factor.trim());
                }
                return result;
            }
            return node.asText();
        }
    }
}
