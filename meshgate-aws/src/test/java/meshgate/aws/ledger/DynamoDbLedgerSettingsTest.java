package meshgate.aws.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.ledger.LedgerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ledger: {type: dynamodb, ...}} in the gateway's settings, found through the gateway's LedgerProvider. */
class DynamoDbLedgerSettingsTest {
    private static final String MINIMAL = """
            shared_key: TestKey
            mailboxes:
              - mailbox_id: X26ABC1
                password: password
            """;

    @TempDir
    Path dir;

    private GatewayConfig read(String ledger) {
        return GatewayConfigLoader.fromYaml(MINIMAL + ledger, dir, Map.of("AWS_KEY", "key-from-env"));
    }

    @Test
    void theGatewayFindsTheDynamoDbLedgerOnTheClassPath() {
        assertThat(LedgerProvider.of("dynamodb")).get().isInstanceOf(DynamoDbLedgerProvider.class);
    }

    @Test
    void readsTheDynamoDbLedgerSettingsAndKeepsItsKeysSecret() {
        GatewayConfig config = read("""
                ledger:
                  type: DynamoDB
                  table: meshgate-ledger
                  region: eu-west-2
                  endpoint: http://localhost:4567
                  create_table: true
                  retention_days: 30
                  access_key_id: {env: AWS_KEY}
                  secret_access_key: s3cr3t-value
                """);

        assertThat(config.ledger().type()).isEqualTo("dynamodb");
        assertThat(config.ledger().isProvided()).isTrue();
        DynamoDbSettings settings = DynamoDbSettings.from(config.ledger().providedWithSecrets());
        assertThat(settings.table()).isEqualTo("meshgate-ledger");
        assertThat(settings.region()).contains("eu-west-2");
        assertThat(settings.endpoint()).hasValueSatisfying(uri -> assertThat(uri).hasPort(4567));
        assertThat(settings.createTable()).isTrue();
        assertThat(settings.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.accessKeyId()).contains("key-from-env");
        assertThat(config.ledger().toString() + settings).doesNotContain("s3cr3t-value").doesNotContain(
                "key-from-env");
    }

    @Test
    void aTableIsRequiredAndTheSettingsOfOtherLedgersAreRefused() {
        assertThatThrownBy(() -> read("ledger: {type: dynamodb}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ledger.table: is required");
        assertThatThrownBy(() -> read("ledger: {type: dynamodb, table: tab1, jdbc_url: 'jdbc:postgresql://db/x'}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ledger.jdbc_url: does not apply to a ledger of type dynamodb");
        assertThatThrownBy(() -> read("ledger: {type: dynamodb, table: tab1, access_key_id: k}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("secret_access_key");
        assertThatThrownBy(() -> read("ledger: {type: dynamodb, table: tab1, retention_days: soon}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.retention_days");
        assertThatThrownBy(() -> read("ledger: {type: cassandra}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("embedded, postgresql, dynamodb");
    }
}
