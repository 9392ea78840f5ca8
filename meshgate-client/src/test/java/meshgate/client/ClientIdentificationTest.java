package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The client names itself as MESH's documentation and MESH's own client do: {@code mex-ClientVersion: name==version},
 * and a User-Agent of {@code name;version;runtime;architecture;OS;OS version}.
 */
class ClientIdentificationTest {
    @Test
    void handshakeIdentifiesTheClientInMeshFormat() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(), values.get(0)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try (MeshClient client = MeshClient.builder()
                .baseUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .credentials("X26ABC1", "password", "TestKey").build()) {
            client.handshake();
        } finally {
            server.stop(0);
        }

        assertThat(seen.get("mex-clientversion")).isEqualTo("meshgate==" + MeshClient.VERSION);
        assertThat(seen.get("user-agent")).isEqualTo(String.join(";", "meshgate", MeshClient.VERSION,
                System.getProperty("java.version"), System.getProperty("os.arch"), System.getProperty("os.name"),
                System.getProperty("os.version")));
    }
}
