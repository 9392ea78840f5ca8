package meshgate.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import meshgate.client.MeshClient;
import meshgate.client.OutboundMessage;
import meshgate.gateway.events.EventOutbox;
import meshgate.gateway.events.MeshEvent;
import meshgate.gateway.ledger.H2Ledger;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.store.S3ObjectStore;
import meshgate.gateway.store.S3TestServer;
import meshgate.sandbox.MeshSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** Messages received into S3 (S3Proxy) keep every header, whatever its size, and never replace one another. */
class S3InboundTest {
    @TempDir
    Path dir;

    @Test
    void keepsAWholeLongNonAsciiSubjectAndTwoMessagesOfOneName() throws Exception {
        // As long as MESH takes them (it counts the bytes it receives): together, more than S3's 2 KB once encoded.
        String subject = upToBytes("Résumé/«été»—✓€;", 500);
        String localId = upToBytes("réf/2026/11/30;", 300);
        List<MeshEvent> events = new CopyOnWriteArrayList<>();
        try (MeshSandbox sandbox = MeshSandbox.builder().start();
                S3TestServer s3 = S3TestServer.start();
                H2Ledger ledger = H2Ledger.open(dir.resolve("ledger"));
                MeshClient sender = client(sandbox, "X26ABC1");
                MeshClient recipient = client(sandbox, "X26ABC2")) {
            String bucket = s3.createBucket();
            String first = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").subject(subject)
                    .localId(localId).fileName("export.csv").build(), "first".getBytes(StandardCharsets.UTF_8)).messageId();
            String second = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").subject(subject)
                    .localId(localId).fileName("export.csv").build(), "second".getBytes(StandardCharsets.UTF_8)).messageId();

            try (S3ObjectStore store = s3.storeBuilder(bucket).build(); S3Client raw = s3.client()) {
                MeshGateMetrics metrics = new MeshGateMetrics();
                InboundReceiver receiver = new InboundReceiver(store, ledger, new InboundLayout(true, false, Map.of()),
                        64 * 1024, metrics);
                InboundRecord one = receiver.receive(recipient, first);
                InboundRecord two = receiver.receive(recipient, second);
                // The events are read back from the stored objects and their metadata (sidecar included).
                new EventOutbox(ledger, store, events::add, List.of("X26ABC2"), java.time.Clock.systemUTC(), metrics)
                        .deliverDue();

                assertThat(one.state()).isEqualTo(InboundState.ACKNOWLEDGED);
                assertThat(two.state()).isEqualTo(InboundState.ACKNOWLEDGED);
                assertThat(one.objectKey()).isEqualTo("inbound/X26ABC2/export.csv");
                assertThat(two.objectKey()).isEqualTo("inbound/X26ABC2/" + second + "_export.csv");
                for (InboundRecord record : List.of(one, two)) {
                    assertThat(store.decodedMetadata(record.objectKey())).containsEntry("mex-subject", subject)
                            .containsEntry("mex-localid", localId).containsEntry("mex-messageid", record.messageId());
                    assertThat(bytesAsMetadata(store.decodedMetadata(record.objectKey())))
                            .as("every header as S3 user metadata").isGreaterThan(2048);
                    int userBytes = raw.headObject(b -> b.bucket(bucket).key(record.objectKey())).metadata()
                            .entrySet().stream().mapToInt(e -> ("x-amz-meta-" + e.getKey() + e.getValue())
                                    .getBytes(StandardCharsets.UTF_8).length).sum();
                    assertThat(userBytes).as("user metadata as AWS counts it").isLessThanOrEqualTo(2048);
                }
                assertThat(events).extracting(e -> e.detail().subject()).containsExactly(subject, subject);
                assertThat(events).extracting(e -> e.detail().localId()).containsExactly(localId, localId);
                assertThat(events).extracting(e -> e.detail().key()).containsExactly(one.objectKey(), two.objectKey());
            }
        }
    }

    @Test
    void storesTheSendersContentTypeAsTheObjectsContentType() throws Exception {
        try (MeshSandbox sandbox = MeshSandbox.builder().start();
                S3TestServer s3 = S3TestServer.start();
                H2Ledger ledger = H2Ledger.open(dir.resolve("ledger"));
                MeshClient sender = client(sandbox, "X26ABC1");
                MeshClient recipient = client(sandbox, "X26ABC2")) {
            String bucket = s3.createBucket();
            String id = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").fileName("export.csv")
                    .contentType("text/csv").build(), "a,b\n".getBytes(StandardCharsets.UTF_8)).messageId();

            try (S3ObjectStore store = s3.storeBuilder(bucket).build(); S3Client raw = s3.client()) {
                InboundReceiver receiver = new InboundReceiver(store, ledger, new InboundLayout(true, false, Map.of()),
                        64 * 1024, new MeshGateMetrics());
                InboundRecord record = receiver.receive(recipient, id);

                assertThat(store.decodedMetadata(record.objectKey())).containsEntry("mex-content-type", "text/csv");
                assertThat(raw.headObject(b -> b.bucket(bucket).key(record.objectKey())).contentType())
                        .isEqualTo("text/csv");
            }
        }
    }

    @Test
    void aSenderFileNameTakenWhileTheMessageIsUploadedIsStoredUnderItsMessageIdNameAfterDownloadingAgain()
            throws Exception {
        byte[] content = new byte[2 * S3ObjectStore.MIN_PART_SIZE + 12_345];
        new java.util.Random(42).nextBytes(content);
        String name = "inbound/X26ABC2/export.csv";
        try (MeshSandbox sandbox = MeshSandbox.builder().start();
                S3TestServer s3 = S3TestServer.start();
                H2Ledger ledger = H2Ledger.open(dir.resolve("ledger"));
                MeshClient sender = client(sandbox, "X26ABC1");
                MeshClient recipient = client(sandbox, "X26ABC2");
                S3Client rival = s3.client()) {
            String bucket = s3.createBucket();
            String id = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").fileName("export.csv").build(),
                    content).messageId();
            // Another writer takes the sender's file name once the message's upload onto it has begun.
            List<String> aborted = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();
            ExecutionInterceptor takeTheName = new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof UploadPartRequest part && part.key().equals(name)
                            && taken.compareAndSet(false, true)) {
                        rival.putObject(b -> b.bucket(bucket).key(name).metadata(Map.of("mex-messageid", "OTHER")),
                                RequestBody.fromString("another file of that name"));
                    }
                    if (context.request() instanceof AbortMultipartUploadRequest abort) {
                        aborted.add(abort.key());
                    }
                }
            };

            try (S3ObjectStore store = new S3ObjectStore(s3.client(takeTheName), bucket,
                    S3ObjectStore.MIN_PART_SIZE)) {
                InboundReceiver receiver = new InboundReceiver(store, ledger, new InboundLayout(true, false, Map.of()),
                        64 * 1024, new MeshGateMetrics());
                InboundRecord record = receiver.receive(recipient, id);

                assertThat(record.state()).isEqualTo(InboundState.ACKNOWLEDGED);
                assertThat(record.objectKey()).isEqualTo("inbound/X26ABC2/" + id + "_export.csv");
                assertThat(aborted).containsExactly(name);
                assertThat(rival.getObjectAsBytes(b -> b.bucket(bucket).key(record.objectKey())).asByteArray())
                        .isEqualTo(content);
                assertThat(store.decodedMetadata(record.objectKey())).containsEntry("mex-messageid", id);
                assertThat(rival.getObjectAsBytes(b -> b.bucket(bucket).key(name)).asUtf8String())
                        .isEqualTo("another file of that name");
                assertThat(rival.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
            }
        }
    }

    private static int bytesAsMetadata(Map<String, String> headers) {
        return headers.entrySet().stream().mapToInt(e -> ("x-amz-meta-" + e.getKey()
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8).length).sum();
    }

    /** {@code pattern} repeated, cut to at most {@code bytes} in UTF-8. */
    private static String upToBytes(String pattern, int bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; ; i = (i + 1) % pattern.length()) {
            String next = out.toString() + pattern.charAt(i);
            if (next.getBytes(StandardCharsets.UTF_8).length > bytes) {
                return out.toString();
            }
            out.append(pattern.charAt(i));
        }
    }

    private static MeshClient client(MeshSandbox sandbox, String mailbox) {
        return MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl())).credentials(mailbox, "password", "TestKey")
                .build();
    }
}
