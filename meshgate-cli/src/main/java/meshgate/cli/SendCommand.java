package meshgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import meshgate.client.MeshClient;
import meshgate.client.Compressibility;
import meshgate.client.MessageContent;
import meshgate.client.OutboundMessage;
import meshgate.client.SendListener;
import meshgate.client.SendResult;
import meshgate.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "send",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Sends a file to another mailbox and prints its MESH message id.",
            "%nThe message id goes to standard output, progress to standard error. Files larger than chunk_size "
                    + "are sent in chunks; memory stays at about one chunk whatever the size.",
            "%nFILE '-' reads standard input. It is first copied to a temporary file (deleted afterwards), "
                    + "because MESH needs the number of chunks before the first one is sent.",
            "%nFiles of compress_threshold (1 MiB) or more are gzip-compressed for transport unless "
                    + "never_compress is set or samples of the file show it does not compress (already compressed or "
                    + "encrypted); --compress or --no-compress decide for this file. The recipient "
                    + "gets the original bytes.",
            "%nFollow the message with 'meshgate track MESSAGE_ID'.",
            "%nExample:",
            "  meshgate send --to X26ABC2 --workflow TEST_WORKFLOW --subject 'nightly export' export.csv"
        })
final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MeshSettings settings;

    @Option(names = "--to", required = true, paramLabel = "MAILBOX", description = "The recipient mailbox id.")
    String to;

    @Option(names = "--workflow", required = true, paramLabel = "WORKFLOW_ID",
            description = "The MESH workflow id, agreed with the recipient.")
    String workflowId;

    @Option(names = "--subject", paramLabel = "TEXT", description = "mex-subject: a short description the recipient sees.")
    String subject;

    @Option(names = "--local-id", paramLabel = "ID",
            description = "mex-localid: your own reference, also usable to find the message again. Default: a "
                    + "unique meshgate-... id, which also guards against sending twice on a retry.")
    String localId;

    @Option(names = "--filename", paramLabel = "NAME",
            description = "mex-filename: the name the recipient stores it under (default: FILE's name; none "
                    + "for standard input).")
    String fileName;

    @Option(names = "--compress", negatable = true,
            description = "gzip for transport (--compress) or not (--no-compress); default: by compress_threshold.")
    Boolean compress;

    @Option(names = {"-q", "--quiet"}, description = "No progress on standard error.")
    boolean quiet;

    @Parameters(paramLabel = "FILE|-", description = "The file to send, or - for standard input.")
    String file;

    @Override
    public Integer call() throws IOException {
        boolean fromStdin = file.equals("-");
        Path spool = fromStdin ? spool(settings.environment().stdin()) : null;
        try {
            Path path = fromStdin ? spool : Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw new NoSuchFileException(file);
            }
            return send(path, fromStdin ? null : path.getFileName().toString());
        } finally {
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
        }
    }

    private int send(Path path, String defaultFileName) throws IOException {
        GatewayConfig config = settings.config();
        long size = Files.size(path);
        // Unless asked, content that does not compress (judged from samples) goes as it is: compressing it would
        // cost most of the send's speed for nothing.
        boolean gzip = compress != null ? compress
                : !config.neverCompress() && size >= config.compressThreshold()
                        && Compressibility.worthCompressing(MessageContent.of(path));
        OutboundMessage.Builder message = OutboundMessage.to(to, workflowId).compress(gzip)
                .subject(subject).localId(localId).fileName(fileName != null ? fileName : defaultFileName);
        Progress progress = Progress.of(spec.commandLine().getErr(), settings.environment(), "send", size, quiet);
        SendResult result;
        try (MeshClient client = settings.client()) {
            result = client.send(message.build(), progress.counting(MessageContent.of(path)), SendListener.NONE);
        }
        progress.finish("sent");
        spec.commandLine().getOut().println(result.messageId());
        return 0;
    }

    private static Path spool(InputStream stdin) throws IOException {
        Path spool = Files.createTempFile("meshgate-send-", ".stdin");
        try (OutputStream out = Files.newOutputStream(spool)) {
            stdin.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(spool);
            throw e;
        }
        return spool;
    }
}
