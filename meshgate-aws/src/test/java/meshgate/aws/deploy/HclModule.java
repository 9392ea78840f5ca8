package meshgate.aws.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Terraform module's top-level .tf files as one JSON tree, converted by {@code @cdktf/hcl2json} on Node.js so that
 * tests can read the module's structure without the Terraform providers (which cannot be downloaded here).
 *
 * <p>The tree is hcl2json's shape with the files merged: {@code variable.NAME[0]}, {@code output.NAME[0]},
 * {@code resource.TYPE.NAME[0]}, {@code data.TYPE.NAME[0]} and one {@code locals} object. Expressions are strings
 * such as {@code "${var.x}"}; blocks are arrays of objects.
 */
final class HclModule {
    private static final Path CONVERTER = Path.of("src/test/hcl2json").toAbsolutePath();
    private static final long NPM_MINUTES = 5;
    private static final long CONVERT_MINUTES = 2;

    private final Path directory;
    private final ObjectNode tree;

    private HclModule(Path directory, ObjectNode tree) {
        this.directory = directory;
        this.tree = tree;
    }

    static HclModule load(Path directory) throws IOException, InterruptedException {
        installConverter();
        JsonNode files = new ObjectMapper().readTree(run(CONVERTER, CONVERT_MINUTES,
                "node", CONVERTER.resolve("convert.js").toString(), directory.toAbsolutePath().toString()));
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ObjectNode locals = merged.putObject("locals");
        for (JsonNode file : files) {
            for (Map.Entry<String, JsonNode> block : file.properties()) {
                switch (block.getKey()) {
                    case "locals" -> block.getValue().forEach(l -> locals.setAll((ObjectNode) l));
                    case "resource", "data" -> mergeTwoLevels(child(merged, block.getKey()), block.getValue());
                    default -> {
                        if (block.getValue().isObject()) {
                            child(merged, block.getKey()).setAll((ObjectNode) block.getValue());
                        } else {
                            merged.set(block.getKey(), block.getValue()); // the terraform block, in one file
                        }
                    }
                }
            }
        }
        return new HclModule(directory, merged);
    }

    /** A variable's block, or empty if the module does not declare it. */
    Optional<JsonNode> variable(String name) {
        return first(tree.path("variable").path(name));
    }

    Optional<JsonNode> output(String name) {
        return first(tree.path("output").path(name));
    }

    Optional<JsonNode> resource(String type, String name) {
        return first(tree.path("resource").path(type).path(name));
    }

    /** Every resource of one type, by name. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new TreeMap<>();
        tree.path("resource").path(type).properties().forEach(e -> found.put(e.getKey(), e.getValue().get(0)));
        return found;
    }

    Optional<JsonNode> data(String type, String name) {
        return first(tree.path("data").path(type).path(name));
    }

    JsonNode local(String name) {
        return tree.path("locals").path(name);
    }

    /** The text of one of the module's files, for what JSON loses (the order of blocks). */
    String text(String file) throws IOException {
        return Files.readString(directory.resolve(file));
    }

    /** Every top-level .tf file's text, to find what no block should mention. */
    String allText() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".tf")).sorted().toList()) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }

    private static Optional<JsonNode> first(JsonNode blocks) {
        return blocks.isArray() && !blocks.isEmpty() ? Optional.of(blocks.get(0)) : Optional.empty();
    }

    private static void mergeTwoLevels(ObjectNode into, JsonNode byType) {
        byType.properties().forEach(type -> child(into, type.getKey()).setAll((ObjectNode) type.getValue()));
    }

    private static ObjectNode child(ObjectNode parent, String name) {
        return parent.has(name) ? (ObjectNode) parent.get(name) : parent.putObject(name);
    }

    /** Runs {@code npm ci} once per checkout; the lock keeps parallel builds from installing over each other. */
    private static void installConverter() throws IOException, InterruptedException {
        try (FileChannel channel = FileChannel.open(CONVERTER.resolve(".install.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (Files.exists(CONVERTER.resolve("node_modules/@cdktf/hcl2json/package.json"))) {
                return;
            }
            run(CONVERTER, NPM_MINUTES, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }
    }

    private static String run(Path dir, long minutes, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("hcl2json", ".out");
        Path err = Files.createTempFile("hcl2json", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + minutes + " min");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "): " + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0] + " (Node.js and npm are needed)", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
