import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A webhook that refuses every event with HTTP 500, for .ci/check-secret-logs: run with java (source-file mode) and
 * the folder to write into. It writes its port to {@code port} and, per request, one line to {@code requests}
 * saying whether it carried an Authorization header and a MeshGate-Signature header (never their values).
 */
public final class RefusingWebhook {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path requests = dir.resolve("requests");
        Files.writeString(requests, "");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String line = "authorization=" + exchange.getRequestHeaders().containsKey("Authorization")
                    + " signature=" + exchange.getRequestHeaders().containsKey("MeshGate-Signature") + "\n";
            Files.writeString(requests, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        Path port = dir.resolve("port");
        Files.writeString(dir.resolve("port.tmp"), Integer.toString(server.getAddress().getPort()));
        Files.move(dir.resolve("port.tmp"), port);
    }
}
