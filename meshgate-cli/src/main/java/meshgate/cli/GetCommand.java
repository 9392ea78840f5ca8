package meshgate.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.Callable;
import meshgate.client.MeshClient;
import meshgate.client.MessageMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Downloads a message, to a file or standard output.",
            "%nStreamed chunk after chunk: any size in little memory. With -o FILE the message is written beside "
                    + "FILE under a temporary name and renamed when complete, so FILE never holds part of a message. "
                    + "Without -o it goes to standard output, and everything else (progress, --headers) to "
                    + "standard error.",
            "%nA message the sender compressed for transport (Content-Encoding: gzip) is decompressed unless "
                    + "--raw is given. The message stays in the inbox until 'meshgate ack MESSAGE_ID'.",
            "%nExample: meshgate get 20240101120000000000_ABCDEF -o export.csv --headers"
        })
final class GetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MeshSettings settings;

    @Parameters(paramLabel = "MESSAGE_ID", description = "The MESH message id, as 'meshgate inbox' lists it.")
    String messageId;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the message to FILE (replaced if it exists) instead of standard output.")
    Path output;

    @Option(names = "--decompress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Undo the transport compression of a gzip-encoded message (the default).")
    boolean decompress;

    @Option(names = "--raw", description = "Write the bytes as MESH holds them, gzip-encoded if sent so "
            + "(same as --no-decompress).")
    boolean raw;

    @Option(names = "--headers", description = "Print the message's MESH headers (mex-from, mex-workflowid, ...) "
            + "as 'name: value' lines: on standard output with -o, else on standard error.")
    boolean headers;

    @Option(names = {"-q", "--quiet"}, description = "No progress on standard error.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        CliEnvironment environment = settings.environment();
        Progress progress = Progress.of(spec.commandLine().getErr(), environment, "get", -1, quiet);
        MessageMetadata metadata;
        try (MeshClient client = settings.client()) {
            metadata = output == null
                    ? toStandardOutput(client, progress, environment.stdout())
                    : toFile(client, progress);
        }
        progress.finish(output == null ? "received" : "received into " + output + ",");
        if (headers) {
            PrintWriter where = output == null ? spec.commandLine().getErr() : spec.commandLine().getOut();
            metadata.headers().forEach((name, value) -> where.println(name + ": " + value));
            where.flush();
        }
        return 0;
    }

    private boolean decompressing() {
        return decompress && !raw;
    }

    private MessageMetadata toStandardOutput(MeshClient client, Progress progress, OutputStream stdout)
            throws IOException {
        MessageMetadata metadata = client.download(messageId, progress.counting(stdout), decompressing());
        stdout.flush();
        return metadata;
    }

    private MessageMetadata toFile(MeshClient client, Progress progress) throws IOException {
        Path target = output.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path part = dir.resolve("." + target.getFileName() + ".part-" + UUID.randomUUID());
        try {
            MessageMetadata metadata;
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = progress.counting(Channels.newOutputStream(channel))) {
                metadata = client.download(messageId, out, decompressing());
                channel.force(true);
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return metadata;
        } finally {
            Files.deleteIfExists(part);
        }
    }
}
