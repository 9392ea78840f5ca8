package meshgate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import meshgate.protocol.AuthToken;
import org.junit.jupiter.api.Test;

class StrictAuthTest {

    @Test
    void replayedNonceAndStaleTimestampAreRefused() throws Exception {
        try (MeshSandbox sandbox = MeshSandbox.builder().strictAuth(Duration.ofMinutes(5)).start()) {
            MeshTestClient client = new MeshTestClient(sandbox.baseUrl());
            String token = AuthToken.create("X26ABC1", "password", "TestKey", "nonce-1", 1, Instant.now()).header();

            assertThat(count(client, sandbox, token).statusCode()).isEqualTo(200);
            HttpResponse<String> replay = count(client, sandbox, token);
            assertThat(replay.statusCode()).isEqualTo(403);
            assertThat(replay.body()).as("MESH's own words for a reused token").contains("Error Duplicated Authentication Token");

            String stale = AuthToken.create("X26ABC1", "password", "TestKey", "nonce-2", 1,
                    Instant.now().minus(Duration.ofHours(1))).header();
            HttpResponse<String> old = count(client, sandbox, stale);
            assertThat(old.statusCode()).isEqualTo(403);
            assertThat(old.body()).contains("Authentication token timestamp outside allowed window");

            String nextCount = AuthToken.create("X26ABC1", "password", "TestKey", "nonce-1", 2, Instant.now()).header();
            assertThat(count(client, sandbox, nextCount).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void defaultModeAcceptsReusedTokensLikeThePublicSandbox() throws Exception {
        try (MeshSandbox sandbox = MeshSandbox.builder().start()) {
            MeshTestClient client = new MeshTestClient(sandbox.baseUrl());
            String token = AuthToken.create("X26ABC1", "password", "TestKey", "n", 1,
                    Instant.now().minus(Duration.ofDays(1))).header();

            assertThat(count(client, sandbox, token).statusCode()).isEqualTo(200);
            assertThat(count(client, sandbox, token).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void wrongSharedKeyIsRefused() throws Exception {
        try (MeshSandbox sandbox = MeshSandbox.builder().sharedKey("BackBone").start()) {
            MeshTestClient client = new MeshTestClient(sandbox.baseUrl());

            HttpResponse<String> response = count(client, sandbox, MeshTestClient.token("X26ABC1"));

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("Invalid Authentication Token");
        }
    }

    private static HttpResponse<String> count(MeshTestClient client, MeshSandbox sandbox, String token)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/messageexchange/X26ABC1/count"))
                .header("Accept", "application/vnd.mesh.v2+json")
                .header("Authorization", token)
                .GET().build());
    }
}
