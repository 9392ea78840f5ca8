package meshgate.bench;

import java.io.BufferedWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.client.OutboundMessage;
import meshgate.client.SendResult;

/** The same compressible file (CSV-like text) sent with and without gzip, in the same run. */
final class CompressionBenchmark {
    private static final double MIB = 1024 * 1024;

    private CompressionBenchmark() {
    }

    static Report run(Path dir, long sizeMib) throws Exception {
        Path file = java.nio.file.Files.createDirectories(dir).resolve("compressible.csv");
        generate(file, sizeMib * 1024 * 1024);
        try (LocalMesh mesh = new LocalMesh(dir.resolve("mesh"), b -> { });
                MeshClient client = client(mesh, "X26ABC1");
                MeshClient recipient = client(mesh, "X26ABC2")) {
            client.handshake();
            double[] plain = send(client, recipient, file, false);
            double[] gzip = send(client, recipient, file, true);
            Report report = new Report("compression (" + sizeMib + " MiB of CSV-like text, mutual TLS)");
            report.row("uncompressed send", String.format("%.1f MiB/s, %.1f MiB on the wire", plain[0], plain[1]));
            report.row("compressed send", String.format("%.1f MiB/s, %.1f MiB on the wire", gzip[0], gzip[1]));
            report.row("ratio compressed / uncompressed", String.format("%.2f (speed), %.2f (bytes)",
                    gzip[0] / plain[0], gzip[1] / plain[1]));
            for (int level : LEVELS) {
                double[] measured = deflate(file, level);
                report.row("deflate level " + level + ", one thread", String.format(
                        "%.1f MiB/s, compressed to %.3f of the content", measured[0], measured[1]));
            }
            return report;
        }
    }

    /** MiB/s of content and MiB sent over the wire; the message is then collected so nothing is left behind. */
    private static double[] send(MeshClient client, MeshClient recipient, Path file, boolean compress)
            throws Exception {
        long start = System.nanoTime();
        SendResult sent = client.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").compress(compress).build(), file);
        double seconds = (System.nanoTime() - start) / 1e9;
        recipient.acknowledge(sent.messageId());
        return new double[] {Files.size(file) / MIB / seconds, sent.bytesSent() / MIB};
    }

    /** The levels measured, to choose the one sends use (ChunkSource.LEVEL). */
    private static final int[] LEVELS = {1, 2, 3, 6};

    /** MiB/s of content and compressed size over content size, deflating up to 64 MiB of the file on one thread. */
    private static double[] deflate(Path file, int level) throws Exception {
        byte[] content;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(64 * 1024 * 1024);
        }
        byte[] out = new byte[1024 * 1024];
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(level, true);
        try {
            long start = System.nanoTime();
            deflater.setInput(content);
            deflater.finish();
            long compressed = 0;
            while (!deflater.finished()) {
                compressed += deflater.deflate(out);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new double[] {content.length / MIB / seconds, (double) compressed / content.length};
        } finally {
            deflater.end();
        }
    }

    private static MeshClient client(LocalMesh mesh, String mailbox) {
        return MeshClient.builder().baseUrl(URI.create(mesh.sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(MeshTls.fromPem(mesh.certificates.clientCertificate(mailbox),
                        mesh.certificates.clientKey(mailbox), LocalMesh.PASSPHRASE.toCharArray(),
                        mesh.certificates.caBundle()))
                .build();
    }

    private static void generate(Path file, long size) throws Exception {
        Random random = new Random(42);
        String[] programmes = {"HPV", "FLU", "MENACWY", "TD_IPV"};
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (written < size) {
                String line = "\"" + (9000000000L + random.nextInt(999_999_999)) + "\"|\"" + programmes[random.nextInt(4)]
                        + "\"|\"2024" + String.format("%02d%02d", 1 + random.nextInt(12), 1 + random.nextInt(28))
                        + "\"|\"new\"|\"TRUE\"|\"" + random.nextInt(100000) + "\"\n";
                out.write(line);
                written += line.length();
            }
        }
    }
}
