package meshgate.aws.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.config.MailboxConfig;
import meshgate.gateway.config.OutboundMapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings and secrets read from SSM Parameter Store and Secrets Manager (the {@link AwsJsonStandIn}). */
class AwsSettingsTest {
    private static final String ROOT = "/dev-project-mesh/mesh";
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIcert\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIkey-secret-body\n-----END PRIVATE KEY-----\n";
    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIca\n-----END CERTIFICATE-----\n";

    @TempDir
    Path dir;
    private AwsJsonStandIn aws;

    @BeforeEach
    void start() throws Exception {
        aws = AwsJsonStandIn.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private String awsBlock(String extra) {
        return """
                aws:
                  name_prefix: dev-project
                  mailbox_ids: [X26ABC1, X26ABC2, X26ABC3]
                  region: eu-west-2
                  endpoint: %s
                  access_key_id: test-key-id
                  secret_access_key: test-secret-key
                """.formatted(aws.endpoint()) + extra;
    }

    private static final String S3_STORE = """
            store:
              type: s3
              bucket: mesh-bucket
              endpoint: http://127.0.0.1:1
              path_style: true
            """;

    private GatewayConfig load(String yaml) {
        return GatewayConfigLoader.fromYaml(yaml, dir, Map.of());
    }

    private void moduleParameters() {
        aws.string(ROOT + "/MESH_URL", "https://msg.intspineservices.nhs.uk")
                .secureString(ROOT + "/MESH_CA_CERT", CA)
                .secureString(ROOT + "/MESH_CLIENT_CERT", CERT)
                .string(ROOT + "/MESH_VERIFY_SSL", "True");
        for (String id : List.of("X26ABC1", "X26ABC2", "X26ABC3")) {
            aws.string(ROOT + "/mailboxes/" + id + "/INBOUND_BUCKET", "mesh-bucket");
        }
        mapping("outbound/X26ABC1", "X26ABC1", "X26XYZ9", "PATHOLOGY_RESULT");
        mapping("outbound/X26ABC2/urgent", "X26ABC2", "X26XYZ8", "URGENT");
    }

    private void mapping(String folder, String from, String to, String workflow) {
        String path = ROOT + "/mapping/mesh-bucket/" + folder + "/";
        aws.string(path + "src_mailbox", from).string(path + "dest_mailbox", to).string(path + "workflow_id", workflow);
    }

    private void secretsIn(boolean secretsManager) {
        Map<String, String> secrets = Map.of(ROOT + "/MESH_SHARED_KEY", "shared-secret",
                ROOT + "/MESH_CLIENT_KEY", KEY,
                ROOT + "/mailboxes/X26ABC1/MAILBOX_PASSWORD", "password-1",
                ROOT + "/mailboxes/X26ABC2/MAILBOX_PASSWORD", "password-2",
                ROOT + "/mailboxes/X26ABC3/MAILBOX_PASSWORD", "password-3");
        secrets.forEach(secretsManager ? aws::secret : aws::secureString);
    }

    @Test
    void readsADeploymentsParametersFromSsmAsTheTerraformModuleKeepsThem() {
        moduleParameters();
        secretsIn(false);

        GatewayConfig config = load(awsBlock("") + S3_STORE);

        assertThat(config.baseUrl()).isEqualTo(URI.create("https://msg.intspineservices.nhs.uk"));
        assertThat(config.sharedKey().reveal()).isEqualTo("shared-secret");
        assertThat(config.sharedKey().source()).isEqualTo("ssm " + ROOT + "/MESH_SHARED_KEY");
        assertThat(config.mailboxes()).extracting(MailboxConfig::mailboxId)
                .containsExactly("X26ABC1", "X26ABC2", "X26ABC3");
        assertThat(config.mailboxes()).extracting(m -> m.password().reveal())
                .containsExactly("password-1", "password-2", "password-3");
        assertThat(config.tls().certificate().orElseThrow().source()).isEqualTo("ssm " + ROOT + "/MESH_CLIENT_CERT");
        assertThat(config.tls().privateKey().orElseThrow().value().orElseThrow().reveal()).isEqualTo(KEY);
        assertThat(config.tls().caBundle().orElseThrow().value().orElseThrow().reveal()).isEqualTo(CA);
        assertThat(config.outboundMappings()).containsExactly(
                new OutboundMapping("outbound/X26ABC2/urgent/", "X26ABC2", "X26XYZ8", "URGENT"),
                new OutboundMapping("outbound/X26ABC1/", "X26ABC1", "X26XYZ9", "PATHOLOGY_RESULT"));
        List<AwsJsonStandIn.Request> byPath = aws.requests().stream()
                .filter(r -> r.target().equals("AmazonSSM.GetParametersByPath")).toList();
        assertThat(byPath).hasSizeGreaterThan(1).allSatisfy(r -> {
            assertThat(r.body().path("Path").asText()).isEqualTo(ROOT);
            assertThat(r.body().path("Recursive").asBoolean()).isTrue();
            assertThat(r.body().path("WithDecryption").asBoolean()).isTrue();
        });
        assertThat(byPath.get(1).body().has("NextToken")).isTrue();
        assertThat(aws.requests()).extracting(AwsJsonStandIn.Request::target)
                .containsOnly("AmazonSSM.GetParametersByPath");
    }

    @Test
    void readsTheKeyTheSharedKeyAndThePasswordsFromSecretsManagerWithUseSecretsManager() {
        moduleParameters();
        secretsIn(true);

        GatewayConfig config = load(awsBlock("  use_secrets_manager: true\n") + S3_STORE);

        assertThat(config.sharedKey().reveal()).isEqualTo("shared-secret");
        assertThat(config.sharedKey().source()).isEqualTo("secretsmanager " + ROOT + "/MESH_SHARED_KEY");
        assertThat(config.mailboxes()).extracting(m -> m.password().reveal())
                .containsExactly("password-1", "password-2", "password-3");
        assertThat(config.tls().privateKey().orElseThrow().source())
                .isEqualTo("secretsmanager " + ROOT + "/MESH_CLIENT_KEY");
        assertThat(config.tls().privateKey().orElseThrow().value().orElseThrow().reveal()).isEqualTo(KEY);
        assertThat(config.tls().certificate().orElseThrow().source()).isEqualTo("ssm " + ROOT + "/MESH_CLIENT_CERT");
        assertThat(aws.requests()).filteredOn(r -> r.target().equals("secretsmanager.GetSecretValue"))
                .extracting(r -> r.body().path("SecretId").asText())
                .containsExactlyInAnyOrder(ROOT + "/MESH_SHARED_KEY", ROOT + "/MESH_CLIENT_KEY",
                        ROOT + "/mailboxes/X26ABC1/MAILBOX_PASSWORD", ROOT + "/mailboxes/X26ABC2/MAILBOX_PASSWORD",
                        ROOT + "/mailboxes/X26ABC3/MAILBOX_PASSWORD");
    }

    @Test
    void aMissingParameterOrSecretIsNamedAndNoValueIsShown() {
        moduleParameters();
        secretsIn(false);

        assertThatThrownBy(() -> load(awsBlock("").replace("[X26ABC1, X26ABC2, X26ABC3]", "[X26ABC1, X26ABC4]")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("mailboxes[1].password: SSM parameter "
                        + ROOT + "/mailboxes/X26ABC4/MAILBOX_PASSWORD does not exist");
        assertThatThrownBy(() -> load(awsBlock("  use_secrets_manager: true\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("shared_key (from aws.name_prefix): Secrets Manager secret " + ROOT
                        + "/MESH_SHARED_KEY does not exist")
                .hasMessageNotContaining("shared-secret");
        assertThatThrownBy(() -> load(awsBlock("").replace("dev-project", "other")))
                .hasMessage("base_url: SSM parameter /other-mesh/mesh/MESH_URL does not exist (or set base_url or "
                        + "mesh_env)");
    }

    @Test
    void aSingleSecretCanComeFromSsmOrSecretsManagerWhereverASecretIsAccepted() {
        aws.secureString("/team/mesh/password", "from-ssm").secret("team/shared-key", "from-secrets-manager")
                .secureString("/team/mesh/key", KEY).secret("team/webhook", "signing-secret");

        GatewayConfig config = load("""
                aws:
                  region: eu-west-2
                  endpoint: %s
                  access_key_id: test-key-id
                  secret_access_key: test-secret-key
                shared_key: {secretsmanager: team/shared-key}
                mailboxes: [{mailbox_id: X26ABC1, password: {ssm: /team/mesh/password}}]
                certificate: {file: cert.pem}
                private_key: {ssm: /team/mesh/key}
                events:
                  webhook_url: https://hooks.example.org/x
                  webhook_signing_secret: {secretsmanager: team/webhook}
                """.formatted(aws.endpoint()).replace("{file: cert.pem}", "|\n" + CERT.indent(2)));

        assertThat(config.sharedKey().reveal()).isEqualTo("from-secrets-manager");
        assertThat(config.mailboxes().get(0).password().reveal()).isEqualTo("from-ssm");
        assertThat(config.tls().privateKey().orElseThrow().value().orElseThrow().reveal()).isEqualTo(KEY);
        assertThat(config.events().webhook().orElseThrow().signingSecret().orElseThrow().reveal())
                .isEqualTo("signing-secret");
        assertThat(aws.requests()).extracting(AwsJsonStandIn.Request::target).doesNotContain(
                "AmazonSSM.GetParametersByPath");
        assertThat(aws.requests()).filteredOn(r -> r.target().equals("AmazonSSM.GetParameter"))
                .allSatisfy(r -> assertThat(r.body().path("WithDecryption").asBoolean()).isTrue());
    }

    @Test
    void settingsInTheFileWinOverTheModulesParameters() {
        moduleParameters();
        secretsIn(false);

        GatewayConfig config = load(awsBlock("""
                mesh_env: production
                shared_key: {env: MY_SHARED_KEY}
                outbound_mappings:
                  - {prefix: outbound/X26ABC3/, mex_from: X26ABC3, mex_to: X26XYZ7, mex_workflowid: MINE}
                """).replace("{env: MY_SHARED_KEY}", "from-the-file") + S3_STORE);

        assertThat(config.baseUrl().getHost()).isEqualTo("mesh-sync.spineservices.nhs.uk");
        assertThat(config.sharedKey().reveal()).isEqualTo("from-the-file");
        assertThat(config.outboundMappings()).extracting(OutboundMapping::mexWorkflowId).containsExactly("MINE");
        assertThat(config.mailboxes()).hasSize(3);
    }

    @Test
    void noSecretValueIsLoggedOrPrinted() {
        moduleParameters();
        secretsIn(false);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        GatewayConfig config;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            config = load(awsBlock("") + S3_STORE);
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("event=aws_settings_read").contains("parameter_path=" + ROOT + "/");
        for (String secret : List.of("shared-secret", "password-1", "password-2", "password-3", "MIIkey")) {
            assertThat(log).doesNotContain(secret);
            assertThat(config.toString()).doesNotContain(secret);
        }
    }
}
