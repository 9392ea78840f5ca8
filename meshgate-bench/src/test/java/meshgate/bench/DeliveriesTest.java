package meshgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import meshgate.client.MeshClient;
import meshgate.client.OutboundMessage;
import meshgate.client.SendResult;
import meshgate.gateway.store.LocalFolderStore;
import meshgate.gateway.store.ObjectWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's count sees what a faulty exchange would do: a second copy still waiting in the recipient's MESH
 * inbox, a stored file of the right size with the wrong bytes, a copy stored after the last original, a message
 * nobody dropped. Messages are sent through the real sandbox; what a receiving gateway would have stored is
 * written into its folder store as the gateway writes it.
 */
class DeliveriesTest {
    @TempDir
    Path dir;
    LocalMesh mesh;
    MeshClient sender;
    MeshClient recipient;
    Deliveries deliveries;
    final Map<String, byte[]> dropped = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        mesh = new LocalMesh(dir, b -> { });
        sender = mesh.client("X26ABC1");
        recipient = mesh.client("X26ABC2");
        deliveries = new Deliveries(Duration.ofSeconds(3), Duration.ofSeconds(60));
        deliveries.drop(outbound(), "X26ABC1", "X26ABC2", 3, 7);
        for (String localId : localIds()) {
            dropped.put(localId, Files.readAllBytes(outbound().resolve(localId + ".dat")));
        }
    }

    @AfterEach
    void stop() {
        sender.close();
        recipient.close();
        mesh.close();
    }

    @Test
    void countsEachMessageOnceWhenEachArrivedOnceAndWasAcknowledged() throws Exception {
        for (String localId : localIds()) {
            deliver(localId, content(localId));
        }

        Deliveries.Outcome outcome = settleAndCount();

        assertThat(outcome.exactlyOnce()).as(outcome.problems().toString()).isTrue();
        assertThat(outcome.unique()).isEqualTo(3);
        assertThat(outcome.latenciesMs()).hasSize(3);
    }

    @Test
    void countsAStoredMessageThatWasNeverAcknowledgedAsLeftInTheInbox() throws Exception {
        for (String localId : localIds()) {
            deliver(localId, content(localId));
        }
        SendResult unacknowledged = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").localId("bench-7-3")
                .build(), new byte[] {4, 5, 6});
        deliveries.expect("bench-7-3", new byte[] {4, 5, 6});
        store("bench-7-3", unacknowledged.messageId(), new byte[] {4, 5, 6});

        Deliveries.Outcome outcome = settleAndCount();

        assertThat(outcome.duplicates()).as("the same MESH message, not a second one").isZero();
        assertThat(outcome.leftInInbox()).isEqualTo(1);
        assertThat(outcome.exactlyOnce()).isFalse();
    }

    @Test
    void countsACopyStillWaitingInTheRecipientsInboxAsADuplicate() throws Exception {
        for (String localId : localIds()) {
            deliver(localId, content(localId));
        }
        sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").localId("bench-7-0").build(),
                content("bench-7-0"));

        Deliveries.Outcome outcome = settleAndCount();

        assertThat(outcome.duplicates()).isEqualTo(1);
        assertThat(outcome.exactlyOnce()).isFalse();
    }

    @Test
    void countsAStoredCopyWithTheRightSizeButOtherBytesAsWrongContent() throws Exception {
        for (String localId : localIds()) {
            byte[] content = content(localId);
            if (localId.equals("bench-7-1")) {
                content[content.length / 2] ^= 1;
            }
            deliver(localId, content);
        }

        Deliveries.Outcome outcome = settleAndCount();

        assertThat(outcome.wrongContent()).isEqualTo(1);
        assertThat(outcome.exactlyOnce()).isFalse();
    }

    @Test
    void countsACopyStoredAfterTheLastOriginalAsADuplicate() throws Exception {
        for (String localId : localIds()) {
            deliver(localId, content(localId));
        }
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(1000);
                deliver("bench-7-2", content("bench-7-2"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        late.start();

        Deliveries.Outcome outcome = settleAndCount();
        late.join();

        assertThat(outcome.duplicates()).isEqualTo(1);
        assertThat(outcome.exactlyOnce()).isFalse();
    }

    @Test
    void countsAMessageNobodyDroppedAsUnknown() throws Exception {
        for (String localId : localIds()) {
            deliver(localId, content(localId));
        }
        deliver("bench-7-99", new byte[] {1, 2, 3});

        Deliveries.Outcome outcome = settleAndCount();

        assertThat(outcome.unknown()).isEqualTo(1);
        assertThat(outcome.exactlyOnce()).isFalse();
    }

    private Path outbound() {
        return mesh.root("X26ABC1").resolve("outbound");
    }

    private String[] localIds() {
        return new String[] {"bench-7-0", "bench-7-1", "bench-7-2"};
    }

    private byte[] content(String localId) {
        return dropped.get(localId).clone();
    }

    /**
     * What a receiving gateway does with one message: MESH has it (sent by X26ABC1), the gateway stores it under
     * {@code inbound/X26ABC2/{message id}.dat} with its headers, then acknowledges it.
     */
    private void deliver(String localId, byte[] stored) throws Exception {
        SendResult sent = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").localId(localId).build(),
                sent(localId, stored));
        Files.deleteIfExists(outbound().resolve(localId + ".dat"));
        store(localId, sent.messageId(), stored);
        recipient.acknowledge(sent.messageId());
    }

    private void store(String localId, String messageId, byte[] content) throws Exception {
        try (LocalFolderStore store = new LocalFolderStore(mesh.root("X26ABC2"));
                ObjectWriter writer = store.create("inbound/X26ABC2/" + messageId + ".dat",
                        Map.of("mex-localid", localId, "mex-messageid", messageId, "mex-from", "X26ABC1"))) {
            writer.stream().write(content);
            writer.commit();
        }
    }

    /** What each benchmark does once its gateways would have stopped. */
    private Deliveries.Outcome settleAndCount() throws Exception {
        Deliveries.Settling settling = deliveries.settle(deliveries.folders(mesh.root("X26ABC1"),
                mesh.root("X26ABC2"), "X26ABC2"));
        assertThat(settling.settled()).as(settling.note()).isTrue();
        return deliveries.collect(mesh, "X26ABC1", "X26ABC2");
    }

    /** What MESH got: the dropped content, or what was stored when nobody dropped it. */
    private byte[] sent(String localId, byte[] stored) {
        return dropped.containsKey(localId) ? content(localId) : stored;
    }
}
