package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import meshgate.protocol.MeshHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sender's content type reaches the recipient's download headers, as MESH carries it. */
class ContentTypeTest {
    @TempDir
    static Path dir;
    static SandboxFixture fixture;
    static MeshClient sender;
    static MeshClient recipient;

    @BeforeAll
    static void start() {
        fixture = SandboxFixture.start(dir);
        sender = fixture.client("X26ABC1");
        recipient = fixture.client("X26ABC2");
    }

    @AfterAll
    static void stop() {
        sender.close();
        recipient.close();
        fixture.close();
    }

    @ParameterizedTest(name = "{0} chunk(s), compress={1}")
    @CsvSource({"1, false", "1, true", "3, false", "3, true"})
    void senderContentTypeReachesRecipientDownloadHeaders(int chunks, boolean compress) {
        byte[] content = new byte[(chunks - 1) * SandboxFixture.CHUNK_SIZE + 100];
        Arrays.fill(content, (byte) 'a');
        OutboundMessage message = OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").contentType("text/csv")
                .compress(compress).build();

        SendResult sent = sender.send(message, content);
        assertThat(sent.chunks()).isEqualTo(chunks);

        MessageMetadata headers = recipient.headers(sent.messageId());
        assertThat(headers.header("mex-content-type")).as("HEAD").contains("text/csv");
        MessageMetadata downloaded = recipient.download(sent.messageId(), new ByteArrayOutputStream(), true);
        assertThat(downloaded.header("mex-content-type")).as("download").contains("text/csv");
        assertThat(downloaded.header(MeshHeaders.CONTENT_TYPE)).as("download").contains("text/csv");
    }
}
