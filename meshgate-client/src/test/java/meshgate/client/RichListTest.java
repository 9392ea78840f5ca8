package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import meshgate.sandbox.MeshSandbox;
import org.junit.jupiter.api.Test;

/** The rich inbox and outbox lists, paged by MESH, seen from both ends of a send. */
class RichListTest {
    @Test
    void listsSentAndReceivedMessagesWithDetailsAcrossPages() {
        try (MeshSandbox sandbox = MeshSandbox.builder().start();
                MeshClient sender = client(sandbox, "X26ABC1");
                MeshClient recipient = client(sandbox, "X26ABC2")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 105; i++) {
                ids.add(sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").localId("rich-" + i).build(),
                        ("m" + i).getBytes(StandardCharsets.UTF_8)).messageId());
            }
            recipient.acknowledge(ids.get(0));

            List<RichMessage> inbox = recipient.richInbox();
            assertThat(inbox).extracting(RichMessage::messageId).containsExactlyElementsOf(ids.subList(1, 105));
            RichMessage received = inbox.get(0);
            assertThat(received.sender()).contains("X26ABC1");
            assertThat(received.recipient()).isEqualTo("X26ABC2");
            assertThat(received.workflowId()).contains("TEST_WORKFLOW");
            assertThat(received.localId()).contains("rich-1");
            assertThat(received.status()).isEqualTo(DeliveryStatus.ACCEPTED);
            assertThat(received.totalChunks()).isEqualTo(1);
            assertThat(received.sentDate()).isPresent();

            List<RichMessage> outbox = sender.richOutbox();
            assertThat(outbox).extracting(RichMessage::messageId).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(outbox).filteredOn(m -> m.messageId().equals(ids.get(0))).singleElement()
                    .extracting(RichMessage::status).isEqualTo(DeliveryStatus.ACKNOWLEDGED);
        }
    }

    private static MeshClient client(MeshSandbox sandbox, String mailbox) {
        return MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl())).credentials(mailbox, "password", "TestKey")
                .build();
    }
}
