package meshgate.aws.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.store.S3TestServer;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.CertificateAuthority;
import meshgate.sandbox.tls.IssuedCertificate;
import meshgate.sandbox.tls.SandboxTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A gateway whose every MESH setting comes from a Terraform MESH module deployment's parameters (in the
 * {@link AwsJsonStandIn}), PEM certificate, key and CA included, sends and receives over mutual TLS with the sandbox.
 */
class AwsSettingsMeshTest {
    private static final String ROOT = "/int-team-mesh/mesh";

    @TempDir
    Path dir;
    private CertificateAuthority ca;
    private MeshSandbox sandbox;
    private S3TestServer s3;
    private AwsJsonStandIn aws;
    private String bucket;

    @BeforeEach
    void start() throws Exception {
        ca = CertificateAuthority.create("Module CA");
        sandbox = MeshSandbox.builder()
                .https(SandboxTls.serverContext(ca.issueServer("localhost", "127.0.0.1"), ca.certificate()))
                .requireClientCertificate(true).start();
        s3 = S3TestServer.start();
        bucket = s3.createBucket();
        aws = AwsJsonStandIn.start();
    }

    @AfterEach
    void stop() throws Exception {
        aws.close();
        s3.close();
        sandbox.close();
    }

    @Test
    void sendsAndReceivesWithEverySettingFromSsm() throws Exception {
        deployment(false);
        exchangesAMessage(false);
    }

    @Test
    void sendsAndReceivesWithTheSecretsFromSecretsManager() throws Exception {
        deployment(true);
        exchangesAMessage(true);
        assertThat(aws.requests()).extracting(AwsJsonStandIn.Request::target)
                .contains("secretsmanager.GetSecretValue");
    }

    /** The parameters the module's deployment holds, the secrets in SSM or in Secrets Manager. */
    private void deployment(boolean secretsManager) throws Exception {
        IssuedCertificate client = ca.issueClient("x26abc1.x26.api.mesh-client.nhs.uk");
        aws.string(ROOT + "/MESH_URL", sandbox.baseUrl())
                .secureString(ROOT + "/MESH_CA_CERT", pem(ca::writeCertificatePem))
                .secureString(ROOT + "/MESH_CLIENT_CERT", pem(client::writeCertificatePem));
        String mapping = ROOT + "/mapping/" + bucket + "/outbound/X26ABC1/";
        aws.string(mapping + "src_mailbox", "X26ABC1").string(mapping + "dest_mailbox", "X26ABC2")
                .string(mapping + "workflow_id", "MODULE_WORKFLOW");
        Map<String, String> secrets = Map.of(ROOT + "/MESH_SHARED_KEY", "TestKey",
                ROOT + "/MESH_CLIENT_KEY", pem(client::writePrivateKeyPkcs8Pem),
                ROOT + "/mailboxes/X26ABC1/MAILBOX_PASSWORD", "password",
                ROOT + "/mailboxes/X26ABC2/MAILBOX_PASSWORD", "password");
        secrets.forEach(secretsManager ? aws::secret : aws::secureString);
    }

    private void exchangesAMessage(boolean secretsManager) throws Exception {
        GatewayConfig config = GatewayConfigLoader.fromYaml("""
                aws:
                  name_prefix: int-team
                  mailbox_ids: [X26ABC1, X26ABC2]
                  use_secrets_manager: %s
                  region: eu-west-2
                  endpoint: %s
                  access_key_id: test-key-id
                  secret_access_key: test-secret-key
                store:
                  type: s3
                  bucket: %s
                  endpoint: %s
                  region: %s
                  path_style: true
                  access_key_id: %s
                  secret_access_key: %s
                  root: %s
                chunk_size: 5242881
                poll_interval: 300ms
                outbound_rescan_interval: 300ms
                outbound_settle_time: 0s
                tracking_interval: 1h
                """.formatted(secretsManager, aws.endpoint(), bucket, s3.endpoint(), S3TestServer.REGION,
                S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, dir.resolve("node")), dir, Map.of());
        assertThat(config.tls().certificate().orElseThrow().source()).startsWith("ssm " + ROOT);
        assertThat(config.tls().caBundle().orElseThrow().source()).isEqualTo("ssm " + ROOT + "/MESH_CA_CERT");

        try (S3Client client = s3.client(); Gateway gateway = Gateway.start(config)) {
            // A plain content type: storing a received message whose type has parameters ("text/plain;
            // charset=UTF-8") is refused by the S3 test server (SignatureDoesNotMatch), a matter of S3 writes.
            client.putObject(p -> p.bucket(bucket).key("outbound/X26ABC1/results.csv").contentType("text/csv"),
                    RequestBody.fromString("patient,result\n1,negative\n"));

            S3Object received = eventually(Duration.ofSeconds(60), "the message in inbound/X26ABC2/", () -> client
                    .listObjectsV2(l -> l.bucket(bucket).prefix("inbound/X26ABC2/")).contents().stream()
                    .filter(o -> o.key().endsWith(".dat")).findFirst());
            assertThat(client.getObjectAsBytes(g -> g.bucket(bucket).key(received.key())).asString(
                    StandardCharsets.UTF_8)).isEqualTo("patient,result\n1,negative\n");
            Map<String, String> metadata = client.headObject(h -> h.bucket(bucket).key(received.key())).metadata();
            assertThat(metadata).containsEntry("mex-workflowid", "MODULE_WORKFLOW")
                    .containsEntry("mex-from", "X26ABC1");
        }
    }

    private interface PemWriter {
        void write(Path file);
    }

    private String pem(PemWriter writer) throws Exception {
        Path file = Files.createTempFile(dir, "pem", ".pem");
        writer.write(file);
        return Files.readString(file);
    }

    private interface Probe<T> {
        Optional<T> get();
    }

    private static <T> T eventually(Duration timeout, String what, Probe<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Optional<T> found = probe.get(); ; found = probe.get()) {
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
