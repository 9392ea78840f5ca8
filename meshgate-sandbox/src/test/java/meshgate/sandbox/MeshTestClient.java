package meshgate.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import meshgate.protocol.AuthToken;
import meshgate.protocol.MeshHeaders;

/** A small MESH caller for the tests: plain java.net.http, a fresh token per request. */
final class MeshTestClient {
    static final String PASSWORD = "password";
    static final String SHARED_KEY = "TestKey";

    private final HttpClient http;
    private final String baseUrl;

    MeshTestClient(String baseUrl) {
        this(baseUrl, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    MeshTestClient(String baseUrl, SSLContext ssl) {
        this(baseUrl, HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build());
    }

    private MeshTestClient(String baseUrl, HttpClient http) {
        this.baseUrl = baseUrl;
        this.http = http;
    }

    static String token(String mailbox) {
        return AuthToken.create(mailbox, PASSWORD, SHARED_KEY, UUID.randomUUID().toString(), 1, Instant.now()).header();
    }

    HttpRequest.Builder request(String mailbox, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", MeshHeaders.MEDIA_TYPE_V2);
        if (mailbox != null) {
            builder.header("Authorization", token(mailbox));
        }
        return builder;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> sendForBytes(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> get(String mailbox, String path) throws IOException, InterruptedException {
        return send(request(mailbox, path).GET().build());
    }

    HttpResponse<String> handshake(String mailbox) throws IOException, InterruptedException {
        return send(request(mailbox, "/messageexchange/" + mailbox)
                .header("mex-ClientVersion", "meshgate-test==0.1")
                .header("mex-OSName", "Linux")
                .header("mex-OSVersion", "6")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Sends a single-chunk message; returns the response (202 with the message id on success). */
    HttpResponse<String> sendMessage(String from, String to, String workflow, byte[] body, Map<String, String> extra)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(from, "/messageexchange/" + from + "/outbox")
                .header("Content-Type", "application/octet-stream")
                .header("mex-From", from)
                .header("mex-To", to)
                .header("mex-WorkflowID", workflow);
        extra.forEach(builder::header);
        return send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static String messageId(HttpResponse<String> response) {
        String body = response.body();
        int start = body.indexOf("\"message_id\":\"") + "\"message_id\":\"".length();
        return body.substring(start, body.indexOf('"', start));
    }
}
