package meshgate.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import meshgate.client.MeshClient;
import meshgate.client.OutboundMessage;
import meshgate.gateway.ledger.H2Ledger;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ops.MailboxHealth;
import meshgate.gateway.store.LocalFolderStore;
import meshgate.sandbox.MeshSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Polling a mailbox: messages that arrive while a poll downloads are collected straight after it, not a poll later. */
class InboxPollerTest {
    @TempDir
    Path dir;

    @Test
    void drainingPollsAgainAtOnceWhileMessagesKeepComingThenStopsAtAnEmptyInbox() throws Exception {
        try (Mailbox mailbox = new Mailbox(dir, 2)) {
            mailbox.send("first");
            assertThat(mailbox.poller.drain(10)).as("the first message and the two sent while earlier ones downloaded")
                    .isEqualTo(3);
            assertThat(mailbox.recipient.inbox()).isEmpty();
            assertThat(mailbox.stored()).containsExactlyInAnyOrder("first", "sent during download 1",
                    "sent during download 2");
        }
    }

    @Test
    void onePollLeavesWhatArrivedDuringItForTheNext() throws Exception {
        try (Mailbox mailbox = new Mailbox(dir, 1)) {
            mailbox.send("first");
            assertThat(mailbox.poller.poll()).isEqualTo(1);
            assertThat(mailbox.recipient.inbox()).as("sent while the poll downloaded").hasSize(1);
        }
    }

    @Test
    void drainingStopsAfterItsLimitOfPolls() throws Exception {
        try (Mailbox mailbox = new Mailbox(dir, 5)) {
            mailbox.send("first");
            assertThat(mailbox.poller.drain(2)).isEqualTo(2);
            assertThat(mailbox.recipient.inbox()).as("left for the job's next turn").hasSize(1);
        }
    }

    /**
     * A recipient's mailbox polled into a folder, with a sender that sends one more message as each download begins,
     * {@code arrivals} times in all.
     */
    private static final class Mailbox implements AutoCloseable {
        final MeshSandbox sandbox = MeshSandbox.builder().start();
        final MeshClient sender = client(sandbox, "X26ABC1");
        final MeshClient recipient = client(sandbox, "X26ABC2");
        final H2Ledger ledger;
        final LocalFolderStore store;
        final ThreadPoolExecutor downloads;
        final InboxPoller poller;

        Mailbox(Path dir, int arrivals) {
            ledger = H2Ledger.open(dir.resolve("ledger"));
            store = new LocalFolderStore(dir.resolve("bucket"));
            AtomicInteger arrived = new AtomicInteger();
            downloads = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>()) {
                @Override
                protected void beforeExecute(Thread thread, Runnable task) {
                    int n = arrived.incrementAndGet();
                    if (n <= arrivals) {
                        send("sent during download " + n);
                    }
                }
            };
            MeshGateMetrics metrics = new MeshGateMetrics();
            InboundReceiver receiver = new InboundReceiver(store, ledger, new InboundLayout(true, false, Map.of()),
                    64 * 1024, metrics);
            poller = new InboxPoller(recipient, receiver, ledger, downloads, metrics,
                    new MailboxHealth(Map.of("X26ABC2", recipient), Clock.systemUTC(), metrics, ledger));
        }

        void send(String content) {
            sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").fileName(content.replace(' ', '-') + ".txt")
                    .build(), content.getBytes(StandardCharsets.UTF_8));
        }

        /** The contents stored under inbound/. */
        java.util.List<String> stored() throws Exception {
            try (var files = Files.walk(store.root().resolve("inbound"))) {
                return files.filter(f -> f.toString().endsWith(".txt")).map(f -> {
                    try {
                        return Files.readString(f);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
            }
        }

        @Override
        public void close() {
            downloads.shutdownNow();
            ledger.close();
            recipient.close();
            sender.close();
            sandbox.close();
        }

        private static MeshClient client(MeshSandbox sandbox, String mailbox) {
            return MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl()))
                    .credentials(mailbox, "password", "TestKey").build();
        }
    }
}
