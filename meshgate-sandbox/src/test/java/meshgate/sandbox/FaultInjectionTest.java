package meshgate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import meshgate.sandbox.fault.FaultKind;
import meshgate.sandbox.fault.FaultSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultInjectionTest {
    private static MeshSandbox sandbox;
    private static MeshTestClient client;

    @BeforeAll
    static void start() {
        sandbox = MeshSandbox.builder().start();
        client = new MeshTestClient(sandbox.baseUrl());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clean() {
        sandbox.faults().update(FaultSettings.none());
        sandbox.faults().resetCounts();
        sandbox.reset();
    }

    @ParameterizedTest
    @CsvSource({"HTTP_500,500", "HTTP_503,503", "HTTP_429,429"})
    void statusFaultsAnswerWithThatStatus(FaultKind kind, int status) throws Exception {
        sandbox.faults().alwaysFail(kind);

        HttpResponse<String> response = client.get("X26ABC1", "/messageexchange/X26ABC1/inbox");

        assertThat(response.statusCode()).isEqualTo(status);
        if (kind == FaultKind.HTTP_429) {
            assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        }
        assertThat(sandbox.faults().injected(kind)).isEqualTo(1);
    }

    @Test
    void dropBeforeBodyClosesTheConnectionAndSendsNothing() throws Exception {
        sandbox.faults().alwaysFail(FaultKind.DROP_BEFORE_BODY);

        assertThatThrownBy(() -> client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {1}, Map.of()))
                .isInstanceOf(IOException.class);

        sandbox.faults().off();
        assertThat(countOf("X26ABC2")).isZero();
        assertThat(sandbox.faults().injected(FaultKind.DROP_BEFORE_BODY)).isPositive();
    }

    @Test
    void dropAfterProcessingLeavesTheMessageSentButUnanswered() throws Exception {
        sandbox.faults().alwaysFail(FaultKind.DROP_AFTER_PROCESSING);

        assertThatThrownBy(() -> client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {1}, Map.of()))
                .isInstanceOf(IOException.class);

        sandbox.faults().off();
        assertThat(countOf("X26ABC2")).isEqualTo(1);
        assertThat(sandbox.faults().injected(FaultKind.DROP_AFTER_PROCESSING)).isEqualTo(1);
    }

    @Test
    void aimedFaultFailsOnlyTheNextMatchingRequestAfterDoingTheWork() throws Exception {
        sandbox.faults().failNext("POST", "/messageexchange/X26ABC1/outbox", FaultKind.HTTP_503_AFTER_PROCESSING);

        assertThat(client.get("X26ABC1", "/messageexchange/X26ABC1/inbox").statusCode()).isEqualTo(200);
        assertThat(client.send(client.request("X26ABC1", "/messageexchange/X26ABC1/outbox")
                .header("mex-From", "X26ABC1").header("mex-To", "X26ABC2").header("mex-WorkflowID", "TEST_WORKFLOW")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build()).statusCode()).isEqualTo(503);
        assertThat(countOf("X26ABC2")).as("the message was created all the same").isEqualTo(1);
        client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {2}, Map.of());

        assertThat(countOf("X26ABC2")).isEqualTo(2);
        assertThat(sandbox.faults().injected(FaultKind.HTTP_503_AFTER_PROCESSING)).isEqualTo(1);
    }

    @Test
    void dropMidDownloadCutsTheBodyAndLeavesOtherRequestsAlone() throws Exception {
        byte[] payload = new byte[200_000];
        new Random(1).nextBytes(payload);
        String id = inject(payload);
        sandbox.faults().alwaysFail(FaultKind.DROP_MID_DOWNLOAD);

        assertThat(client.get("X26ABC2", "/messageexchange/X26ABC2/inbox").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> client.sendForBytes(client.request("X26ABC2",
                "/messageexchange/X26ABC2/inbox/" + id).GET().build())).isInstanceOf(IOException.class);

        assertThat(sandbox.faults().injected(FaultKind.DROP_MID_DOWNLOAD)).isEqualTo(1);
        sandbox.faults().off();
        assertThat(client.sendForBytes(client.request("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id)
                .GET().build()).body()).isEqualTo(payload);
    }

    @Test
    void adminEndpointsAreNeverFaultedAndShowSettings() throws Exception {
        sandbox.faults().alwaysFail(FaultKind.HTTP_500);
        sandbox.faults().latency(Duration.ofMillis(1));

        HttpResponse<String> faults = client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/admin/faults"))
                .GET().build());

        assertThat(faults.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(faults.body()).path("failure_rate").asDouble()).isEqualTo(1.0);

        HttpResponse<String> update = client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/admin/faults"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"failure_rate\":0.25,\"kinds\":[\"HTTP_503\"]}")).build());
        assertThat(update.statusCode()).isEqualTo(200);
        assertThat(sandbox.faults().settings().failureRate()).isEqualTo(0.25);
        assertThat(sandbox.faults().settings().kinds()).containsExactly(FaultKind.HTTP_503);
    }

    @Test
    void aHeldSendWaitsUntilReleasedWhileOtherRequestsAreServed() throws Exception {
        var hold = sandbox.faults().holdNext("POST", "/messageexchange/X26ABC1/outbox", Duration.ofMinutes(1));
        var send = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {1}, Map.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!hold.arrived() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(hold.arrived()).isTrue();
        assertThat(countOf("X26ABC2")).as("held before it was handled").isZero();
        hold.release();
        assertThat(send.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        assertThat(countOf("X26ABC2")).isEqualTo(1);
        assertThat(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW", new byte[] {2}, Map.of()).statusCode())
                .as("only the first matching request is held").isEqualTo(202);
    }

    @Test
    void sameSeedGivesSameFaultSequence() {
        sandbox.faults().update(FaultSettings.failing(0.5).withSeed(99));
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            first.append(sandbox.faults().decide(false).map(Enum::name).orElse("-"));
        }
        sandbox.faults().update(FaultSettings.failing(0.5).withSeed(99));
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            second.append(sandbox.faults().decide(false).map(Enum::name).orElse("-"));
        }

        assertThat(first.toString()).isEqualTo(second.toString()).contains("-").contains("HTTP_");
    }

    private static String inject(byte[] payload) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + "/admin/messages"))
                .header("mex-From", "X26ABC1").header("mex-To", "X26ABC2").header("mex-WorkflowID", "TEST_WORKFLOW")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build());
        assertThat(response.statusCode()).isEqualTo(201);
        return MeshTestClient.messageId(response);
    }

    private static int countOf(String mailbox) throws Exception {
        String body = client.get(mailbox, "/messageexchange/" + mailbox + "/count").body();
        return new ObjectMapper().readTree(body.getBytes(StandardCharsets.UTF_8)).path("count").asInt();
    }
}
