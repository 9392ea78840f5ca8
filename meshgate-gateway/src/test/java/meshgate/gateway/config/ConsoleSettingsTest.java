package meshgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSettingsTest {
    private static final String MINIMAL = """
            shared_key: TestKey
            mailboxes:
              - mailbox_id: X26ABC1
                password: password
            """;

    @TempDir
    Path dir;

    private ConsoleSettings read(String yaml, Map<String, String> environment) {
        return GatewayConfigLoader.fromYaml(yaml, dir, environment).console();
    }

    @Test
    void theConsoleIsOffUnlessAPortIsGivenAndThenListensOnLoopback() {
        assertThat(read(MINIMAL, Map.of()).address()).isEmpty();
        assertThat(read(MINIMAL + "console: {port: 8480}\n", Map.of()).address())
                .hasValue(new InetSocketAddress("127.0.0.1", 8480));
        assertThat(read(MINIMAL + "console: {port: 8480}\n", Map.of()).token()).isEmpty();
        assertThatThrownBy(() -> read(MINIMAL + "console: {token: abcdefghijklmnopq}\n", Map.of()))
                .hasMessage("console.token: needs console.port as well");
        assertThatThrownBy(() -> read(MINIMAL + "console: {prot: 8480}\n", Map.of()))
                .hasMessage("console.prot: unknown setting (did you mean port?)");
    }

    @Test
    void beyondLoopbackTheConsoleNeedsAToken() {
        assertThatThrownBy(() -> read(MINIMAL + "console: {port: 8480, host: 0.0.0.0}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("console.host: is 0.0.0.0, beyond the loopback interface: set console.token");
        ConsoleSettings open = read(MINIMAL + "console:\n  port: 8480\n  host: 0.0.0.0\n  token: {env: CONSOLE}\n",
                Map.of("CONSOLE", "a-long-enough-console-token"));
        assertThat(open.address()).hasValue(new InetSocketAddress("0.0.0.0", 8480));
        assertThat(open.token().orElseThrow().reveal()).isEqualTo("a-long-enough-console-token");
        assertThat(open.toString()).doesNotContain("a-long-enough-console-token");
    }

    @Test
    void environmentVariablesSetTheConsolesPortHostAndToken() {
        ConsoleSettings console = read(MINIMAL, Map.of("MESHGATE_CONSOLE_PORT", "9480",
                "MESHGATE_CONSOLE_HOST", "0.0.0.0", "MESHGATE_CONSOLE_TOKEN", "from-the-environment-0123"));
        assertThat(console.address()).hasValue(new InetSocketAddress("0.0.0.0", 9480));
        assertThat(console.token().orElseThrow().reveal()).isEqualTo("from-the-environment-0123");
    }
}
