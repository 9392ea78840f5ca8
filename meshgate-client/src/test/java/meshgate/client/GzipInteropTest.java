package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import meshgate.protocol.AuthToken;
import meshgate.protocol.MeshHeaders;
import meshgate.sandbox.MeshSandbox;
import org.junit.jupiter.api.Test;

/**
 * Other MESH clients chunk compressed messages in two ways: one gzip member per chunk (MESH's own clients), or one
 * gzip stream cut into chunks. A download decompresses both. The second kind is sent here by hand, over plain HTTP,
 * as such a client would.
 */
class GzipInteropTest {
    @Test
    void decompressesOneGzipStreamCutAcrossChunks() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024];
        Random random = new Random(3);
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + random.nextInt(6));
        }
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(content);
        }
        byte[] stream = gzip.toByteArray();
        int cut = stream.length / 3;
        byte[][] chunks = {Arrays.copyOfRange(stream, 0, cut), Arrays.copyOfRange(stream, cut, 2 * cut),
            Arrays.copyOfRange(stream, 2 * cut, stream.length)};

        try (MeshSandbox sandbox = MeshSandbox.builder().start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = sandbox.baseUrl() + "/messageexchange/X26ABC1/outbox";
            HttpResponse<String> first = http.send(chunk(base, chunks[0], "1:3")
                    .header(MeshHeaders.TO, "X26ABC2").header(MeshHeaders.WORKFLOW_ID, "TEST_WORKFLOW").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(202);
            String messageId = MeshHttp.JSON.readTree(first.body()).path("message_id").asText();
            for (int n = 2; n <= 3; n++) {
                HttpResponse<String> next = http.send(chunk(base + "/" + messageId + "/" + n, chunks[n - 1], n + ":3")
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(next.statusCode()).isEqualTo(202);
            }

            try (MeshClient recipient = MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl()))
                    .credentials("X26ABC2", "password", "TestKey").build()) {
                ByteArrayOutputStream decoded = new ByteArrayOutputStream();
                MessageMetadata metadata = recipient.download(messageId, decoded, true);
                assertThat(metadata.totalChunks()).isEqualTo(3);
                assertThat(decoded.toByteArray()).isEqualTo(content);

                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                recipient.download(messageId, raw, false);
                assertThat(raw.toByteArray()).as("as received").isEqualTo(stream);
            }
        }
    }

    private static HttpRequest.Builder chunk(String url, byte[] body, String range) {
        String token = AuthToken.create("X26ABC1", "password", "TestKey", UUID.randomUUID().toString(), 1,
                Instant.now()).header();
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", token)
                .header("Accept", MeshHeaders.MEDIA_TYPE_V2)
                .header("Content-Type", MeshHeaders.OCTET_STREAM)
                .header("Content-Encoding", "gzip")
                .header(MeshHeaders.CHUNK_RANGE, range)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    @Test
    void meetsMessagesMeshGzipsOnTheFlyThatWereSentPlain() throws Exception {
        byte[] content = new byte[2 * MeshClient.MIN_CHUNK_SIZE + 1234];
        Random random = new Random(5);
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + random.nextInt(6));
        }
        try (MeshSandbox sandbox = MeshSandbox.builder().gzipOnTheFly(true).start();
                MeshClient sender = client(sandbox, "X26ABC1");
                MeshClient recipient = client(sandbox, "X26ABC2")) {
            String messageId = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").build(), content)
                    .messageId();

            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            MessageMetadata asReceived = recipient.download(messageId, raw, false);
            assertThat(asReceived.isGzipEncoded()).as("stored plain, served gzip-encoded").isTrue();
            assertThat(asReceived.header(MeshHeaders.CONTENT_COMPRESSED)).contains("Y");
            assertThat(asReceived.totalChunks()).isEqualTo(3);
            assertThat(ChunkSourceTest.decompressConcatenated(raw.toByteArray())).isEqualTo(content);

            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            recipient.download(messageId, decoded, true);
            assertThat(decoded.toByteArray()).isEqualTo(content);
        }
    }

    private static MeshClient client(MeshSandbox sandbox, String mailbox) {
        return MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl())).credentials(mailbox, "password", "TestKey")
                .chunkSize(MeshClient.MIN_CHUNK_SIZE).build();
    }
}
