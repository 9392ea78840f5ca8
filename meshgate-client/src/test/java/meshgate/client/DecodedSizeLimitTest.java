package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.zip.GZIPOutputStream;
import meshgate.sandbox.MeshSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A gzip-encoded message is decoded only up to the reader's limit: exactly the limit passes, one byte more fails. */
class DecodedSizeLimitTest {
    private static final int SIZE = 3 * 1024 * 1024;

    static MeshSandbox sandbox;
    static MeshClient sender;
    static MeshClient recipient;
    static String messageId;

    @BeforeAll
    static void start() throws Exception {
        sandbox = MeshSandbox.builder().start();
        sender = MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl()))
                .credentials("X26ABC1", "password", "TestKey").build();
        recipient = MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl()))
                .credentials("X26ABC2", "password", "TestKey").build();
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gzip)) {
            out.write(new byte[SIZE]);
        }
        messageId = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").alreadyGzipEncoded(true).build(),
                gzip.toByteArray()).messageId();
    }

    @AfterAll
    static void stop() {
        sender.close();
        recipient.close();
        sandbox.close();
    }

    @Test
    void decodesUpToExactlyTheLimit() throws Exception {
        try (MessageInputStream in = recipient.open(messageId)) {
            assertThat(in.decoded(8192, SIZE).transferTo(OutputStream.nullOutputStream())).isEqualTo(SIZE);
        }
    }

    @Test
    void failsOnceTheLimitIsPassedHavingDecodedNoMore() throws Exception {
        long[] decoded = {0};
        try (MessageInputStream in = recipient.open(messageId)) {
            InputStream content = in.decoded(8192, 1024 * 1024);
            assertThatThrownBy(() -> {
                byte[] buffer = new byte[64 * 1024];
                for (int read; (read = content.read(buffer)) >= 0; ) {
                    decoded[0] += read;
                }
            }).isInstanceOfSatisfying(DecodedSizeExceededException.class,
                    e -> assertThat(e.limit()).isEqualTo(1024 * 1024));
        }
        assertThat(decoded[0]).isLessThanOrEqualTo(1024 * 1024);
    }
}
