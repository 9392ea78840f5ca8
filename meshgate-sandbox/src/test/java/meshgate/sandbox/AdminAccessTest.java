package meshgate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Whoever reaches a sandbox listening beyond loopback must not be able to wipe, inject or fault it: its admin
 * endpoints then need the admin token. On loopback they stay open, as tests and laptops use them.
 */
class AdminAccessTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void onANonLoopbackAddressTheAdminEndpointsNeedTheAdminToken() throws Exception {
        try (MeshSandbox sandbox = MeshSandbox.builder().host("0.0.0.0").adminToken("admin-secret").start()) {
            assertThat(post(sandbox, "/admin/reset", Optional.empty())).isEqualTo(401);
            assertThat(post(sandbox, "/admin/reset", Optional.of("Bearer wrong"))).isEqualTo(401);
            assertThat(post(sandbox, "/messageexchange/reset", Optional.empty())).isEqualTo(401);
            assertThat(get(sandbox, "/admin/faults", Optional.empty())).isEqualTo(401);
            assertThat(post(sandbox, "/admin/reset", Optional.of("Bearer admin-secret"))).isBetween(200, 299);
            assertThat(get(sandbox, "/admin/faults", Optional.of("Bearer admin-secret"))).isEqualTo(200);
            assertThat(get(sandbox, "/_ping", Optional.empty())).isEqualTo(200);
        }
    }

    @Test
    void onANonLoopbackAddressWithoutATokenTheAdminEndpointsAreClosed() throws Exception {
        try (MeshSandbox sandbox = MeshSandbox.builder().host("0.0.0.0").start()) {
            assertThat(post(sandbox, "/admin/reset", Optional.empty())).isEqualTo(403);
            assertThat(post(sandbox, "/admin/reset", Optional.of("Bearer anything"))).isEqualTo(403);
        }
    }

    @Test
    void onLoopbackTheAdminEndpointsStayOpen() throws Exception {
        try (MeshSandbox sandbox = MeshSandbox.builder().start()) {
            assertThat(post(sandbox, "/admin/reset", Optional.empty())).isBetween(200, 299);
        }
    }

    private int post(MeshSandbox sandbox, String path, Optional<String> authorization) throws Exception {
        return send(sandbox, path, authorization, HttpRequest.BodyPublishers.noBody(), "POST");
    }

    private int get(MeshSandbox sandbox, String path, Optional<String> authorization) throws Exception {
        return send(sandbox, path, authorization, HttpRequest.BodyPublishers.noBody(), "GET");
    }

    private int send(MeshSandbox sandbox, String path, Optional<String> authorization,
            HttpRequest.BodyPublisher body, String method) throws Exception {
        // baseUrl() shows 127.0.0.1 for a wildcard bind: reached over loopback, still bound beyond it.
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path)).method(method, body);
        authorization.ifPresent(value -> request.header("Authorization", value));
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
