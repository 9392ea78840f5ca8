package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import meshgate.sandbox.fault.FaultKind;
import meshgate.sandbox.fault.FaultSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With one request in ten failing (500, 503, 429, connections dropped before, after and in the middle of a body),
 * every send and download completes, and each message is in the recipient's inbox exactly once.
 */
class FaultToleranceTest {
    private static final int MESSAGES = 200;

    @TempDir
    static Path dir;
    static SandboxFixture fixture;

    @BeforeAll
    static void start() {
        fixture = SandboxFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void everyMessageArrivesExactlyOnceDespiteFaults() throws Exception {
        Map<String, byte[]> contentByLocalId = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < MESSAGES; i++) {
            byte[] content = new byte[1024 + random.nextInt(9 * 1024)];
            random.nextBytes(content);
            contentByLocalId.put("fault-" + i, content);
        }

        fixture.sandbox.faults().update(FaultSettings.failing(0.10, FaultKind.unattended()));
        Map<String, String> messageIdByLocalId = new ConcurrentHashMap<>();
        try (MeshClient sender = fixture.client("X26ABC1")) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> sends = new java.util.ArrayList<>();
            for (Map.Entry<String, byte[]> e : contentByLocalId.entrySet()) {
                sends.add(pool.submit(() -> {
                    SendResult result = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").localId(e.getKey())
                            .compress(e.getValue().length % 2 == 0).build(), e.getValue());
                    messageIdByLocalId.put(e.getKey(), result.messageId());
                }));
            }
            for (Future<?> send : sends) {
                send.get();
            }
            pool.shutdown();
        }
        long sendFaults = fixture.sandbox.faults().totalInjected();

        // Receiving is sequential, so re-seeding makes its faults the same on every run.
        fixture.sandbox.faults().update(FaultSettings.failing(0.10, FaultKind.unattended()).withSeed(2024));
        List<String> inbox;
        try (MeshClient recipient = fixture.client("X26ABC2")) {
            inbox = recipient.inbox();
            assertThat(inbox).as("each message exactly once").hasSize(MESSAGES)
                    .containsExactlyInAnyOrderElementsOf(messageIdByLocalId.values());

            Map<String, Integer> seenLocalIds = new HashMap<>();
            for (String id : inbox) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                MessageMetadata metadata = recipient.download(id, out, true);
                String localId = metadata.localId().orElseThrow();
                seenLocalIds.merge(localId, 1, Integer::sum);
                assertThat(out.toByteArray()).as(localId).isEqualTo(contentByLocalId.get(localId));
                recipient.acknowledge(id);
            }
            assertThat(seenLocalIds).hasSize(MESSAGES).allSatisfy((k, count) -> assertThat(count).isEqualTo(1));
            fixture.sandbox.faults().off();
            assertThat(recipient.inbox()).isEmpty();
        }
        long totalFaults = fixture.sandbox.faults().totalInjected();
        assertThat(sendFaults).as("faults were injected while sending").isGreaterThan(5);
        assertThat(totalFaults - sendFaults).as("faults were injected while receiving").isGreaterThan(5);
        assertThat(fixture.sandbox.faults().injectedCounts().values().stream().filter(n -> n > 0).count())
                .as("several kinds of fault were met").isGreaterThanOrEqualTo(5);
        System.out.println("fault-tolerance: " + MESSAGES + " messages, faults injected "
                + fixture.sandbox.faults().injectedCounts());
    }

    @Test
    void resumesDownloadsCutInTheMiddleOfAChunk() throws Exception {
        Path file = RoundTripTest.generateInto(dir, 2L * SandboxFixture.CHUNK_SIZE + 99, "cut.dat");
        try (MeshClient sender = fixture.client("X26ABC1"); MeshClient recipient = fixture.client("X26ABC3")) {
            SendResult sent = sender.send(OutboundMessage.to("X26ABC3", "TEST_WORKFLOW2").build(), file);
            fixture.sandbox.faults().update(FaultSettings.failing(0.5, FaultKind.DROP_MID_DOWNLOAD).withSeed(11));
            long before = fixture.sandbox.faults().injected(FaultKind.DROP_MID_DOWNLOAD);

            Path received = dir.resolve("cut-received.dat");
            recipient.download(sent.messageId(), received, false);

            fixture.sandbox.faults().off();
            assertThat(fixture.sandbox.faults().injected(FaultKind.DROP_MID_DOWNLOAD) - before).isPositive();
            assertThat(RoundTripTest.sha256(received)).isEqualTo(RoundTripTest.sha256(file));
            recipient.acknowledge(sent.messageId());
        }
    }

    @Test
    void resumesADownloadWhoseServerFallsSilentMidChunkOnceTheReadTimeoutPasses() throws Exception {
        Path file = RoundTripTest.generateInto(dir, 2L * SandboxFixture.CHUNK_SIZE + 77, "stall.dat");
        try (MeshClient sender = fixture.client("X26ABC1");
                MeshClient recipient = fixture.clientBuilder("X26ABC3").readTimeout(Duration.ofSeconds(1)).build()) {
            SendResult sent = sender.send(OutboundMessage.to("X26ABC3", "TEST_WORKFLOW2").build(), file);
            fixture.sandbox.faults().failNext("GET", "/messageexchange/X26ABC3/inbox/" + sent.messageId() + "/2",
                    FaultKind.STALL_MID_DOWNLOAD);
            long before = fixture.sandbox.faults().injected(FaultKind.STALL_MID_DOWNLOAD);

            Path received = dir.resolve("stall-received.dat");
            recipient.download(sent.messageId(), received, false);

            assertThat(fixture.sandbox.faults().injected(FaultKind.STALL_MID_DOWNLOAD) - before).isEqualTo(1);
            assertThat(RoundTripTest.sha256(received)).isEqualTo(RoundTripTest.sha256(file));
            recipient.acknowledge(sent.messageId());
        }
    }

    @Test
    void survivesMalformedAnswers() throws Exception {
        Map<String, byte[]> contentByLocalId = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            contentByLocalId.put("malformed-" + i, ("malformed answers " + i).repeat(1 + i).getBytes());
        }
        fixture.sandbox.faults().update(FaultSettings.failing(0.3, FaultKind.malformed()).withSeed(7));
        fixture.sandbox.faults().resetCounts();
        try (MeshClient sender = fixture.client("X26ABC1"); MeshClient recipient = fixture.client("X26ABC3")) {
            for (Map.Entry<String, byte[]> e : contentByLocalId.entrySet()) {
                sender.send(OutboundMessage.to("X26ABC3", "TEST_WORKFLOW2").localId(e.getKey()).build(), e.getValue());
            }
            List<String> inbox = recipient.inbox();
            assertThat(inbox).hasSize(contentByLocalId.size());
            for (String id : inbox) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                MessageMetadata metadata = recipient.download(id, out, true);
                assertThat(out.toByteArray()).isEqualTo(contentByLocalId.get(metadata.localId().orElseThrow()));
                recipient.acknowledge(id);
            }
            fixture.sandbox.faults().off();
            assertThat(recipient.inbox()).isEmpty();
            assertThat(sender.retries() + recipient.retries()).as("malformed answers were retried").isPositive();
        }
        for (FaultKind kind : FaultKind.malformed()) {
            assertThat(fixture.sandbox.faults().injected(kind)).as(kind.name()).isPositive();
        }
    }
}
