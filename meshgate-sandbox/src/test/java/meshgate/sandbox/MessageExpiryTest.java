package meshgate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageExpiryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void unacknowledgedMessageBecomesUndeliverableAndSenderGetsReportCode14() throws Exception {
        TestClock clock = new TestClock(Instant.now());
        try (MeshSandbox sandbox = MeshSandbox.builder().clock(clock).expiryCheckInterval(Duration.ofHours(1)).start()) {
            MeshTestClient client = new MeshTestClient(sandbox.baseUrl());
            String id = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                    new byte[] {1, 2, 3}, Map.of("mex-LocalID", "order-7", "mex-Subject", "results")));

            clock.advance(Duration.ofDays(4));
            assertThat(sandbox.expireNow()).isZero();
            clock.advance(Duration.ofDays(1).plusMinutes(1));
            assertThat(sandbox.expireNow()).isEqualTo(1);

            JsonNode recipientInbox = JSON.readTree(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox").body());
            assertThat(recipientInbox.path("messages")).isEmpty();
            JsonNode senderInbox = JSON.readTree(client.get("X26ABC1", "/messageexchange/X26ABC1/inbox").body());
            assertThat(senderInbox.path("messages")).hasSize(1);
            String reportId = senderInbox.path("messages").get(0).asText();

            HttpResponse<String> report = client.get("X26ABC1", "/messageexchange/X26ABC1/inbox/" + reportId);
            assertThat(report.statusCode()).isEqualTo(200);
            assertThat(report.body()).isEmpty();
            assertThat(report.headers().firstValue("mex-messagetype")).hasValue("REPORT");
            assertThat(report.headers().firstValue("mex-statuscode")).hasValue("14");
            assertThat(report.headers().firstValue("mex-statusevent")).hasValue("SEND");
            assertThat(report.headers().firstValue("mex-statussuccess")).hasValue("ERROR");
            assertThat(report.headers().firstValue("mex-statusdescription"))
                    .hasValue("Message not collected by recipient after 5 days");
            assertThat(report.headers().firstValue("mex-linkedmsgid")).hasValue(id);
            assertThat(report.headers().firstValue("mex-localid")).hasValue("order-7");
            assertThat(report.headers().firstValue("mex-workflowid")).hasValue("TEST_WORKFLOW");
            assertThat(report.headers().firstValue("mex-from")).isEmpty();

            HttpResponse<String> download = client.get("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id);
            assertThat(download.statusCode()).isEqualTo(410);

            JsonNode tracking = JSON.readTree(client.get("X26ABC1",
                    "/messageexchange/X26ABC1/outbox/tracking?messageID=" + id).body());
            assertThat(tracking.path("status").asText()).isEqualTo("undeliverable");
            assertThat(tracking.path("status_code").asText()).isEqualTo("14");
            assertThat(tracking.path("status_success").asBoolean()).isFalse();
        }
    }
}
