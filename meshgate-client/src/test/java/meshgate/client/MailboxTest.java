package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inbox paging and filtering, lookups, and expiry into a non-delivery report. */
class MailboxTest {
    @TempDir
    static Path dir;
    static SandboxFixture fixture;
    static final SandboxFixture.MovableClock clock = new SandboxFixture.MovableClock();

    @BeforeAll
    static void start() {
        fixture = new SandboxFixture(dir, sandbox -> sandbox.clock(clock).messageExpiry(Duration.ofDays(5))
                .expiryCheckInterval(Duration.ofHours(1)));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void listsAnInboxAcrossPagesAndFiltersByWorkflow() {
        try (MeshClient sender = fixture.client("X26ABC1"); MeshClient recipient = fixture.client("X26ABC3")) {
            for (int i = 0; i < 25; i++) {
                sender.send(OutboundMessage.to("X26ABC3", "TEST_WORKFLOW2").build(), ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < 3; i++) {
                sender.send(OutboundMessage.to("X26ABC3", "OTHER_WORKFLOW").build(), new byte[] {1});
            }

            InboxPage first = recipient.inboxPage(InboxQuery.all().withMaxResults(10));
            assertThat(first.messageIds()).hasSize(10);
            assertThat(first.nextPage()).isPresent();
            assertThat(first.approximateCount()).isEqualTo(28);

            List<String> all = recipient.inbox(InboxQuery.all().withMaxResults(10));
            assertThat(all).hasSize(28);
            assertThat(new HashSet<>(all)).hasSize(28);
            assertThat(recipient.inbox(InboxQuery.workflow("OTHER_WORKFLOW"))).hasSize(3);
            assertThat(recipient.inbox(InboxQuery.workflow("TEST_WORKFLOW*"))).hasSize(25);
            assertThat(recipient.inbox(InboxQuery.workflow("!OTHER_WORKFLOW"))).hasSize(25);
            assertThat(recipient.inboxCount()).isEqualTo(28);

            all.forEach(recipient::acknowledge);
            assertThat(recipient.inbox()).isEmpty();
        }
    }

    @Test
    void looksUpMailboxesByOdsCodeAndWorkflow() {
        try (MeshClient client = fixture.client("X26ABC1")) {
            assertThat(client.lookupEndpoint("X26", "TEST_WORKFLOW"))
                    .containsExactly(new MailboxMatch("X26ABC2", "TESTMB2"));
            assertThat(client.lookupEndpoint("X99", "TEST_WORKFLOW")).isEmpty();
            assertThat(client.searchWorkflow("TEST_WORKFLOW_ACK")).extracting(MailboxMatch::mailboxId)
                    .contains("X26ABC1", "X26ABC3");
        }
    }

    @Test
    void uncollectedMessageExpiresIntoANonDeliveryReportForTheSender() {
        try (MeshClient sender = fixture.client("X26ABC2"); MeshClient recipient = fixture.client("X26ABC1")) {
            SendResult sent = sender.send(OutboundMessage.to("X26ABC1", "TEST_WORKFLOW_ACK").subject("never collected")
                    .localId("expiring-1").build(), new byte[] {42});
            assertThat(recipient.inbox()).contains(sent.messageId());

            clock.advance(Duration.ofDays(6));
            fixture.sandbox.expireNow();

            assertThat(recipient.inbox()).doesNotContain(sent.messageId());
            TrackingInfo tracking = sender.track(sent.messageId());
            assertThat(tracking.status()).isEqualTo(DeliveryStatus.UNDELIVERABLE);
            assertThat(tracking.statusCode()).contains("14");

            Optional<MessageMetadata> report = sender.inbox().stream().map(sender::headers)
                    .filter(MessageMetadata::isReport)
                    .filter(h -> h.header("mex-linkedmsgid").equals(Optional.of(sent.messageId())))
                    .findFirst();
            assertThat(report).isPresent();
            MessageMetadata headers = report.get();
            assertThat(headers.header("mex-statuscode")).contains("14");
            assertThat(headers.header("mex-statusevent")).contains("SEND");
            assertThat(headers.header("mex-statusdescription")).get().asString()
                    .contains("not collected by recipient after 5 days");
            assertThat(headers.localId()).contains("expiring-1");
            // MESH's sandbox says a report has no chunks (mex-chunk-range 1:0): still one empty body to read.
            assertThat(headers.totalChunks()).isEqualTo(1);
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            sender.download(headers.messageId(), body, false);
            assertThat(body.size()).isZero();
            sender.acknowledge(headers.messageId());
        }
    }
}
