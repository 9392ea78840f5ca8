package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshgate.gateway.metrics.MeshGateMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a gateway did, as Prometheus scrapes it from {@code /metrics}: messages sent, failed, stored, acknowledged and
 * delivered, their bytes, mailbox validations that passed and failed, and the JVM's own meters; {@code /health} for
 * a load balancer or an orchestrator.
 */
class MetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final String METRICS = "metrics:\n  port: 0";
    static final Path ALERT_RULES = Path.of("..", "docs", "monitoring", "meshgate-alerts.yml");
    /** A meter named in a PromQL expression, with its label matchers if any. */
    private static final Pattern SELECTOR = Pattern.compile("(meshgate_[a-z_]+)(?:\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(?:=~|!~|!=|=)");

    @TempDir
    static Path dir;
    static GatewayFixture fixture;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void countsWhatWasSentFailedStoredAcknowledgedAndDelivered() throws Exception {
        Gateway sender = fixture.gateway("X26ABC1", METRICS);
        Gateway recipient = fixture.gateway("X26ABC2", METRICS);
        byte[] content = new byte[12_345];
        new Random(7).nextBytes(content);
        fixture.drop("X26ABC1", "report.dat", content, "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", "
                + "\"mex-workflowid\": \"TEST_WORKFLOW\"}");
        fixture.drop("X26ABC1", "no-recipient.dat", new byte[] {1, 2, 3}, "{\"mex-from\": \"X26ABC1\", "
                + "\"mex-workflowid\": \"TEST_WORKFLOW\"}");

        eventually(Duration.ofSeconds(60), "the message stored and acknowledged", () ->
                value(scrape(recipient), "meshgate_inbound_messages_total", "mailbox", "X26ABC2", "outcome",
                        "acknowledged").orElse(0) == 1);
        eventually(Duration.ofSeconds(30), "the unsendable file counted", () ->
                value(scrape(sender), "meshgate_outbound_messages_total", "outcome", "failed").orElse(0) == 1);
        sender.trackNow();

        String sent = scrape(sender);
        assertThat(value(sent, "meshgate_outbound_messages_total", "mailbox", "X26ABC1", "outcome", "accepted"))
                .hasValue(1);
        assertThat(value(sent, "meshgate_outbound_bytes_total", "mailbox", "X26ABC1")).hasValue(content.length);
        assertThat(value(sent, "meshgate_outbound_send_duration_seconds_count", "mailbox", "X26ABC1")).hasValue(1);
        assertThat(value(sent, "meshgate_outbound_deliveries_total", "mailbox", "X26ABC1", "status",
                "acknowledged")).hasValue(1);
        assertThat(value(sent, "meshgate_mailbox_validations_total", "mailbox", "X26ABC1", "outcome", "success")
                .orElse(0)).isGreaterThanOrEqualTo(1);
        assertThat(value(sent, "meshgate_mesh_retries_total", "mailbox", "X26ABC1")).isPresent();
        assertThat(value(sent, "jvm_memory_used_bytes", "area", "heap").orElse(0)).isPositive();
        // The ledger's counts are read at most once a second.
        eventually(Duration.ofSeconds(10), "the ledger counted", () -> value(scrape(sender),
                "meshgate_ledger_outbound_records", "state", "ACKNOWLEDGED").orElse(0) == 1);
        String ledger = scrape(sender);
        assertThat(value(ledger, "meshgate_ledger_outbound_records", "state", "FAILED")).hasValue(1);
        assertThat(value(ledger, "meshgate_ledger_outbound_records", "state", "QUEUED")).hasValue(0);
        // The ledger's record of outbound/ itself, made at the first start, is the one ADOPTED record.
        assertThat(value(ledger, "meshgate_ledger_outbound_records", "state", "ADOPTED")).hasValue(1);
        assertThat(value(ledger, "meshgate_ledger_outbound_records")).as("one record per file, and outbound/'s")
                .hasValue(3);

        assertThat(problemsOfTheAlertRules(sent, name -> !name.startsWith("meshgate_dps_"))).isEmpty();

        String received = scrape(recipient);
        assertThat(value(received, "meshgate_inbound_messages_total", "mailbox", "X26ABC2", "outcome", "stored"))
                .hasValue(1);
        assertThat(value(received, "meshgate_inbound_bytes_total", "mailbox", "X26ABC2")).hasValue(content.length);
        assertThat(value(received, "meshgate_inbound_messages_total", "outcome", "failed")).isEmpty();
        eventually(Duration.ofSeconds(10), "the ledger counted", () -> value(scrape(recipient),
                "meshgate_ledger_inbound_records", "state", "ACKNOWLEDGED").orElse(0) == 1);
        assertThat(value(scrape(recipient), "meshgate_ledger_inbound_records")).hasValue(1);
    }

    @Test
    void countsFailedMailboxValidationsAndHealthSaysDegraded() throws Exception {
        Gateway wrongKey = fixture.gateway("X26ABC3", METRICS + "\nshared_key: NotTheKey");
        eventually(Duration.ofSeconds(30), "a failed validation counted", () -> value(scrape(wrongKey),
                "meshgate_mailbox_validations_total", "mailbox", "X26ABC3", "outcome", "failure").orElse(0) >= 1);
        assertThat(value(scrape(wrongKey), "meshgate_mailbox_validations_total", "outcome", "success")).isEmpty();

        HttpResponse<String> health = get(wrongKey, "/health", "GET");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = new ObjectMapper().readTree(health.body());
        assertThat(body.path("status").asText()).as("MESH refuses the credentials").isEqualTo("DEGRADED");
        assertThat(body.path("paused_mailboxes").get(0).path("mailbox").asText()).isEqualTo("X26ABC3");
        assertThat(body.path("mailboxes").get(0).asText()).isEqualTo("X26ABC3");
        assertThat(body.path("mailbox_validation_failures").asLong()).isGreaterThanOrEqualTo(1);

        assertThat(get(wrongKey, "/metrics", "GET").headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(get(wrongKey, "/elsewhere", "GET").statusCode()).isEqualTo(404);
        assertThat(get(wrongKey, "/metrics", "POST").statusCode()).isEqualTo(405);
        InetSocketAddress address = wrongKey.metricsAddress().orElseThrow();
        assertThat(address.getAddress().isLoopbackAddress()).as("loopback unless told otherwise").isTrue();
    }

    @Test
    void theDpsAlertRuleNamesTheMeterTheDpsJobsCount() throws Exception {
        try (MeshGateMetrics metrics = new MeshGateMetrics()) {
            metrics.dpsExport("HPV", false);
            assertThat(problemsOfTheAlertRules(metrics.scrape(null), name -> name.startsWith("meshgate_dps_")))
                    .isEmpty();
        }
    }

    /**
     * What is wrong with the shipped alert rules ({@code docs/monitoring/meshgate-alerts.yml}) against a real
     * scrape: each MeshGate meter their expressions name, among those {@code checked}, must be in the scrape, with
     * every label they match on.
     */
    static List<String> problemsOfTheAlertRules(String exposition, Predicate<String> checked) throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ALERT_RULES.toFile());
        List<String> problems = new ArrayList<>();
        int expressions = 0;
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                expressions++;
                Matcher selector = SELECTOR.matcher(rule.path("expr").asText());
                while (selector.find()) {
                    String name = selector.group(1);
                    if (!checked.test(name)) {
                        continue;
                    }
                    List<String> labels = new ArrayList<>();
                    if (selector.group(2) != null) {
                        Matcher matcher = MATCHER.matcher(selector.group(2));
                        while (matcher.find()) {
                            labels.add(matcher.group(1));
                        }
                    }
                    boolean found = exposition.lines().map(String::trim).map(SAMPLE::matcher).filter(Matcher::matches)
                            .filter(sample -> sample.group(1).equals(name))
                            .anyMatch(sample -> labels.stream().allMatch(label -> sample.group(3) != null
                                    && sample.group(3).contains(label + "=\"")));
                    if (!found) {
                        problems.add(rule.path("alert").asText() + ": no " + name + " with labels " + labels);
                    }
                }
            }
        }
        if (expressions == 0) {
            problems.add("no rules in " + ALERT_RULES);
        }
        return problems;
    }

    private static String scrape(Gateway gateway) {
        try {
            HttpResponse<String> response = get(gateway, "/metrics", "GET");
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (Exception e) {
            throw new AssertionError("cannot scrape " + gateway.metricsAddress(), e);
        }
    }

    private static HttpResponse<String> get(Gateway gateway, String path, String method) throws Exception {
        InetSocketAddress address = gateway.metricsAddress().orElseThrow();
        URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the samples of {@code name} whose labels include the given pairs; empty if there are none. */
    static OptionalDouble value(String exposition, String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        double sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.trim());
            if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> have = new LinkedHashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    have.put(label.group(1), label.group(2));
                }
            }
            if (have.entrySet().containsAll(wanted.entrySet())) {
                sum += Double.parseDouble(sample.group(4));
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
