package meshgate.aws.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A STAND-IN, NOT AWS: a small local HTTP endpoint that answers the few SSM Parameter Store and Secrets Manager
 * operations MeshGate uses, in their JSON 1.1 protocol, so that tests can drive the real AWS SDK against it. No
 * open-source SSM or Secrets Manager server can be installed here. It answers {@code AmazonSSM.GetParameter},
 * {@code AmazonSSM.GetParametersByPath} (pages of at most 10, as AWS) and {@code secretsmanager.GetSecretValue}, with
 * AWS-shaped errors ({@code ParameterNotFound}, {@code ResourceNotFoundException}); it checks no signature, keeps no
 * versions and knows no KMS: a SecureString read without {@code WithDecryption} comes back as a placeholder, as AWS
 * would return ciphertext. Every request's operation and body are kept, for tests to look at.
 */
public final class AwsJsonStandIn implements AutoCloseable {
    private static final String JSON = "application/x-amz-json-1.1";
    private static final int MAX_PAGE = 10;

    /** An SSM parameter: its type ({@code String} or {@code SecureString}) and value. */
    public record Parameter(String type, String value) {
    }

    /** One request: the operation ({@code X-Amz-Target}) and its JSON body. */
    public record Request(String target, JsonNode body) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Parameter> parameters = new ConcurrentSkipListMap<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    private AwsJsonStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static AwsJsonStandIn start() throws IOException {
        return new AwsJsonStandIn();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public AwsJsonStandIn secureString(String name, String value) {
        parameters.put(name, new Parameter("SecureString", value));
        return this;
    }

    public AwsJsonStandIn string(String name, String value) {
        parameters.put(name, new Parameter("String", value));
        return this;
    }

    public AwsJsonStandIn secret(String name, String value) {
        secrets.put(name, value);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readAllBytes();
                body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
            }
            requests.add(new Request(String.valueOf(target), body));
            Answer answer = switch (String.valueOf(target)) {
                case "AmazonSSM.GetParameter" -> getParameter(body);
                case "AmazonSSM.GetParametersByPath" -> getParametersByPath(body);
                case "secretsmanager.GetSecretValue" -> getSecretValue(body);
                default -> error("UnknownOperationException", "this stand-in does not answer " + target);
            };
            byte[] bytes = json.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", JSON);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            if (answer.status() != 200) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", answer.body().path("__type").asText());
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private record Answer(int status, ObjectNode body) {
    }

    private Answer getParameter(JsonNode request) {
        String name = request.path("Name").asText();
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            return error("ParameterNotFound", "Parameter " + name + " not found.");
        }
        ObjectNode body = json.createObjectNode();
        body.set("Parameter", parameterJson(name, parameter, request.path("WithDecryption").asBoolean(false)));
        return new Answer(200, body);
    }

    private Answer getParametersByPath(JsonNode request) {
        String path = request.path("Path").asText();
        if (!path.startsWith("/")) {
            return error("ValidationException", "The parameter doesn't meet the parameter name requirements.");
        }
        String prefix = path.endsWith("/") ? path : path + "/";
        boolean recursive = request.path("Recursive").asBoolean(false);
        boolean decrypt = request.path("WithDecryption").asBoolean(false);
        int pageSize = Math.min(request.path("MaxResults").asInt(MAX_PAGE), MAX_PAGE);
        List<String> names = new ArrayList<>();
        for (String name : parameters.keySet()) {
            if (name.startsWith(prefix) && (recursive || name.indexOf('/', prefix.length()) < 0)) {
                names.add(name);
            }
        }
        int from = request.hasNonNull("NextToken") ? Integer.parseInt(request.get("NextToken").asText()) : 0;
        int to = Math.min(from + pageSize, names.size());
        ObjectNode body = json.createObjectNode();
        ArrayNode page = body.putArray("Parameters");
        for (String name : names.subList(from, to)) {
            page.add(parameterJson(name, parameters.get(name), decrypt));
        }
        if (to < names.size()) {
            body.put("NextToken", Integer.toString(to));
        }
        return new Answer(200, body);
    }

    private Answer getSecretValue(JsonNode request) {
        String id = request.path("SecretId").asText();
        String value = secrets.get(id);
        if (value == null) {
            return error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        ObjectNode body = json.createObjectNode();
        body.put("ARN", "arn:aws:secretsmanager:eu-west-2:000000000000:secret:" + id);
        body.put("Name", id);
        body.put("SecretString", value);
        body.put("VersionId", UUID.nameUUIDFromBytes(value.getBytes(StandardCharsets.UTF_8)).toString());
        body.putArray("VersionStages").add("AWSCURRENT");
        body.put("CreatedDate", 1.7e9);
        return new Answer(200, body);
    }

    private ObjectNode parameterJson(String name, Parameter parameter, boolean decrypt) {
        ObjectNode node = json.createObjectNode();
        node.put("Name", name);
        node.put("Type", parameter.type());
        node.put("Value", parameter.type().equals("SecureString") && !decrypt
                ? "AQICAHencrypted-placeholder" : parameter.value());
        node.put("Version", 1);
        node.put("LastModifiedDate", 1.7e9);
        node.put("ARN", "arn:aws:ssm:eu-west-2:000000000000:parameter" + name);
        node.put("DataType", "text");
        return node;
    }

    private Answer error(String type, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("__type", type);
        body.put("message", message);
        return new Answer(400, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
