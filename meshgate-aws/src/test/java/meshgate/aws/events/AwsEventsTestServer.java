package meshgate.aws.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for EventBridge and SNS, not AWS: no open-source server of either can be installed where MeshGate is
 * built, so this small HTTP endpoint speaks their protocols for the two operations the sinks use, to be driven by the
 * real AWS SDK. EventBridge: JSON 1.1, {@code X-Amz-Target: AWSEvents.PutEvents}, at most 10 entries, an answer entry
 * per request entry ({@code EventId}, or {@code ErrorCode} and {@code ErrorMessage}). SNS: the Query protocol,
 * {@code Action=Publish}, answered in XML. It checks the shape of requests, not their signatures, and knows no other
 * operation. Tests can make it refuse entries one by one, or go down and come back on the same port.
 */
public final class AwsEventsTestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One EventBridge entry as it was put. */
    public record PutEntry(String eventBusName, String source, String detailType, JsonNode detail, Instant time) {
    }

    /** One SNS message as it was published, with its string message attributes. */
    public record Published(String topicArn, String message, Map<String, String> attributes) {
    }

    private final int port;
    private final List<PutEntry> entries = new CopyOnWriteArrayList<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger entriesToRefuse = new AtomicInteger();
    private final AtomicInteger publishesToRefuse = new AtomicInteger();
    private final java.util.Set<String> refusedMessageIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile HttpServer server;

    private AwsEventsTestServer(HttpServer server) {
        this.server = server;
        this.port = server.getAddress().getPort();
    }

    public static AwsEventsTestServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AwsEventsTestServer server = new AwsEventsTestServer(http);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The EventBridge entries taken, in order. */
    public List<PutEntry> entries() {
        return List.copyOf(entries);
    }

    /** How many entries each PutEvents request carried. */
    public List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    public List<Published> published() {
        return List.copyOf(published);
    }

    /** The next {@code count} entries are refused one by one ({@code ErrorCode: InternalFailure}). */
    public void refuseEntries(int count) {
        refusedMessageIds.clear();
        entriesToRefuse.set(count);
    }

    /** Every entry whose detail has this {@code message_id} is refused, until {@link #refuseEntries} resets it. */
    public void refuseEveryEntryOf(String messageId) {
        refusedMessageIds.add(messageId);
    }

    /** The next {@code count} publishes are answered with HTTP 500. */
    public void refusePublishes(int count) {
        publishesToRefuse.set(count);
    }

    /** Stops listening: connections are refused until {@link #up}. */
    public synchronized void down() {
        server.stop(0);
    }

    /** Listens again, on the same port. */
    public synchronized void up() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        http.createContext("/", this::handle);
        http.start();
        server = http;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if ("AWSEvents.PutEvents".equals(target)) {
                putEvents(exchange, JSON.readTree(body));
            } else if (target == null && String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))
                    .startsWith("application/x-www-form-urlencoded")) {
                query(exchange, form(new String(body, StandardCharsets.UTF_8)));
            } else {
                answer(exchange, 400, "application/x-amz-json-1.1", "{\"__type\":\"UnknownOperationException\"}");
            }
        }
    }

    private void putEvents(HttpExchange exchange, JsonNode request) throws IOException {
        String json = "application/x-amz-json-1.1";
        JsonNode requested = request.path("Entries");
        if (!requested.isArray() || requested.isEmpty() || requested.size() > 10) {
            answer(exchange, 400, json, "{\"__type\":\"ValidationException\",\"message\":\"Entries must hold 1 to "
                    + "10 entries\"}");
            return;
        }
        batchSizes.add(requested.size());
        ObjectNode response = JSON.createObjectNode();
        ArrayNode answers = response.putArray("Entries");
        int failed = 0;
        for (JsonNode entry : requested) {
            ObjectNode answer = answers.addObject();
            String missing = missing(entry, "Source", "DetailType", "Detail");
            if (missing != null) {
                answer.put("ErrorCode", "MalformedDetail").put("ErrorMessage", missing + " is required");
                failed++;
            } else if (refusedMessageIds.contains(JSON.readTree(entry.path("Detail").asText()).path("message_id")
                    .asText()) || entriesToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                answer.put("ErrorCode", "InternalFailure").put("ErrorMessage", "refused by the test");
                failed++;
            } else {
                entries.add(new PutEntry(entry.path("EventBusName").asText(null), entry.path("Source").asText(),
                        entry.path("DetailType").asText(), JSON.readTree(entry.path("Detail").asText()),
                        entry.has("Time") ? Instant.ofEpochMilli(Math.round(entry.path("Time").asDouble() * 1000))
                                : null));
                answer.put("EventId", UUID.randomUUID().toString());
            }
        }
        response.put("FailedEntryCount", failed);
        answer(exchange, 200, json, JSON.writeValueAsString(response));
    }

    private static String missing(JsonNode entry, String... fields) {
        for (String field : fields) {
            if (entry.path(field).asText("").isEmpty()) {
                return field;
            }
        }
        return null;
    }

    private void query(HttpExchange exchange, Map<String, String> form) throws IOException {
        if (!"Publish".equals(form.get("Action")) || form.get("TopicArn") == null || form.get("Message") == null) {
            answer(exchange, 400, "text/xml", "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter"
                    + "</Code><Message>only Publish with TopicArn and Message</Message></Error></ErrorResponse>");
            return;
        }
        if (publishesToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, 500, "text/xml", "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError"
                    + "</Code><Message>refused by the test</Message></Error></ErrorResponse>");
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
            String prefix = "MessageAttributes.entry." + i;
            attributes.put(form.get(prefix + ".Name"), form.get(prefix + ".Value.StringValue"));
        }
        published.add(new Published(form.get("TopicArn"), form.get("Message"), attributes));
        answer(exchange, 200, "text/xml", "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                + "<PublishResult><MessageId>" + UUID.randomUUID() + "</MessageId></PublishResult>"
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                + "</PublishResponse>");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            form.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
