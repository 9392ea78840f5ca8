package meshgate.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = new LoggerContext();
    private final JsonLineEncoder encoder = new JsonLineEncoder();

    @Test
    void writesTheKeyValuePairsOfAMeshgateLineAsFieldsOfOneJsonLine() throws Exception {
        String line = encode("meshgate.gateway.outbound.OutboundProcessor", Level.WARN,
                "outbound_failed key={} failed_key={} reason=\"{}\"", null,
                "outbound/a b.csv", "failed/a.csv", "MESH said \"no\": unknown recipient");

        assertThat(line).endsWith("}\n").doesNotContain("\n{");
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("logger").asText()).isEqualTo("meshgate.gateway.outbound.OutboundProcessor");
        assertThat(json.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(json.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(json.path("event").asText()).isEqualTo("outbound_failed");
        // an unquoted value runs to the next space, as a reader of the text line would take it
        assertThat(json.path("key").asText()).isEqualTo("outbound/a");
        assertThat(json.path("failed_key").asText()).isEqualTo("failed/a.csv");
        assertThat(json.path("message").asText()).startsWith("outbound_failed key=outbound/a b.csv ");
    }

    @Test
    void readsQuotedValuesListsAndTheEventEqualsForm() throws Exception {
        JsonNode quoted = JSON.readTree(encode("meshgate.gateway.Gateway", Level.INFO,
                "gateway_starting node={} mailboxes={} note=\"a \\\"quoted\\\" word\" free text", null,
                "node-1", java.util.List.of("X26ABC1", "X26ABC2")));
        JsonNode explicit = JSON.readTree(encode("meshgate.gateway.config.GatewayConfigLoader", Level.WARN,
                "event=plain_http base_url={} reason=allow_insecure_tls", null, "http://localhost:1"));

        assertThat(quoted.path("event").asText()).isEqualTo("gateway_starting");
        assertThat(quoted.path("mailboxes").asText()).isEqualTo("[X26ABC1, X26ABC2]");
        assertThat(quoted.path("note").asText()).isEqualTo("a \"quoted\" word");
        assertThat(quoted.has("free")).isFalse();
        assertThat(explicit.path("event").asText()).isEqualTo("plain_http");
        assertThat(explicit.path("base_url").asText()).isEqualTo("http://localhost:1");
    }

    @Test
    void keepsTheStandardFieldsWhenALineHasFieldsOfTheSameNameAndAddsTheStackTrace() throws Exception {
        JsonNode json = JSON.readTree(encode("meshgate.gateway.Gateway", Level.ERROR,
                "job_failed level={} message=\"{}\"", new IllegalStateException("boom"), "deep", "text"));

        assertThat(json.path("level").asText()).isEqualTo("ERROR");
        assertThat(json.path("field_level").asText()).isEqualTo("deep");
        assertThat(json.path("field_message").asText()).isEqualTo("text");
        assertThat(json.path("stack_trace").asText()).contains("IllegalStateException: boom", "JsonLineEncoderTest");
    }

    @Test
    void leavesOtherLibrariesLinesAsMessagesOnly() throws Exception {
        JsonNode json = JSON.readTree(encode("com.zaxxer.hikari.HikariDataSource", Level.INFO,
                "starting pool url={}", null, "jdbc:h2:mem"));

        assertThat(json.path("message").asText()).isEqualTo("starting pool url=jdbc:h2:mem");
        assertThat(json.has("event")).isFalse();
        assertThat(json.has("url")).isFalse();
    }

    private String encode(String logger, Level level, String message, Throwable error, Object... arguments) {
        encoder.setContext(context);
        encoder.start();
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger(logger), level, message, error,
                arguments);
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
