package meshgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import meshgate.client.DeliveryStatus;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.client.OutboundMessage;
import meshgate.client.SendResult;
import meshgate.sandbox.tls.LocalCertificates;

/**
 * One large generated message through the sandbox (its own JVM) over mutual TLS, against a plain loopback socket
 * copy of the same bytes in the same run: the copy is the ceiling this machine allows, the ratio says how close the
 * client comes to it.
 */
final class LargeMessageBenchmark {
    private static final int CRUMB = 64 * 1024;
    private static final long MIB = 1024 * 1024;

    private LargeMessageBenchmark() {
    }

    static void main(String[] args) throws Exception {
        long sizeMib = 2048;
        int chunkMib = MeshClient.DEFAULT_CHUNK_SIZE / (int) MIB;
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size-mib" -> sizeMib = Long.parseLong(args[++i]);
                case "--chunk-mib" -> chunkMib = Integer.parseInt(args[++i]);
                case "--dir" -> base = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(base), "meshgate-bench-");
        try {
            run(dir, sizeMib * MIB, chunkMib * (int) MIB);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, long size, int chunkSize) throws Exception {
        System.out.printf("large-message: %d MiB, chunk %d MiB, client max heap %d MiB, %d cores%n", size / MIB,
                chunkSize / MIB, Runtime.getRuntime().maxMemory() / MIB, Runtime.getRuntime().availableProcessors());
        Path source = dir.resolve("source.dat");
        String sourceDigest = generate(source, size);

        double loopback = mibPerSecond(size, loopbackCopy(source, dir.resolve("loopback.dat"), false));
        Files.delete(dir.resolve("loopback.dat"));

        LocalCertificates certificates = LocalCertificates.openOrCreate(dir.resolve("tls"),
                List.of("X26ABC1", "X26ABC2"), "bench");
        Process sandbox = startSandbox(dir, certificates);
        try {
            String baseUrl = awaitReady(sandbox);
            try (MeshClient sender = client(baseUrl, "X26ABC1", certificates, chunkSize);
                    MeshClient recipient = client(baseUrl, "X26ABC2", certificates, chunkSize)) {
                sender.handshake();
                resetPeakHeap();
                long start = System.nanoTime();
                SendResult sent = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").fileName("large.dat")
                        .build(), source);
                double send = mibPerSecond(size, System.nanoTime() - start);
                long sendHeap = peakHeap();

                // Measured just before the download, which also ends with an fsync, so both see the same disk state.
                double loopbackFsync = mibPerSecond(size, loopbackCopy(source, dir.resolve("loopback.dat"), true));
                Files.delete(dir.resolve("loopback.dat"));

                Path received = dir.resolve("received.dat");
                resetPeakHeap();
                start = System.nanoTime();
                recipient.download(sent.messageId(), received, false);
                double receive = mibPerSecond(size, System.nanoTime() - start);
                long receiveHeap = peakHeap();
                recipient.acknowledge(sent.messageId());

                String receivedDigest = digest(received);
                if (!receivedDigest.equals(sourceDigest)) {
                    throw new IllegalStateException("received message differs from the one sent");
                }
                // Exactly once: nothing else waits for the recipient, and MESH tracks the one message as collected.
                if (!recipient.inbox().isEmpty()
                        || sender.track(sent.messageId()).status() != DeliveryStatus.ACKNOWLEDGED) {
                    throw new IllegalStateException("the recipient's inbox is not empty, or MESH does not track "
                            + sent.messageId() + " as acknowledged");
                }
                System.out.printf("%-40s %10s %8s %16s%n", "measure", "MiB/s", "ratio", "peak heap MiB");
                String row = "%-40s %10.1f %8s %16s%n";
                System.out.printf(row, "A: loopback socket copy to file", loopback, "-", "-");
                System.out.printf(row, "B: loopback socket copy to file + fsync", loopbackFsync, "-", "-");
                System.out.printf(row, "MESH send (" + sent.chunks() + " chunks, mTLS)", send,
                        String.format("%.2f A", send / loopback), String.format("%.1f", sendHeap / (double) MIB));
                System.out.printf(row, "MESH download (mTLS, fsync)", receive,
                        String.format("%.2f B", receive / loopbackFsync), String.format("%.1f", receiveHeap / (double) MIB));
                System.out.println("sha256 " + receivedDigest + " identical after the round trip; one message, "
                        + "acknowledged, nothing else in the recipient's inbox");
            }
        } finally {
            sandbox.getOutputStream().close();
            if (!sandbox.waitFor(30, TimeUnit.SECONDS)) {
                sandbox.destroyForcibly();
            }
        }
    }

    private static MeshClient client(String baseUrl, String mailbox, LocalCertificates certificates, int chunkSize) {
        MeshTls tls = MeshTls.fromPem(certificates.clientCertificate(mailbox), certificates.clientKey(mailbox),
                certificates.passphrase().toCharArray(), certificates.caBundle());
        return MeshClient.builder().baseUrl(URI.create(baseUrl)).credentials(mailbox, "password", "TestKey").tls(tls)
                .chunkSize(chunkSize).build();
    }

    /** Incompressible bytes: a random MiB, varied per MiB, so nothing on the way can shortcut them. */
    private static String generate(Path file, long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[(int) MIB];
        SplittableRandom random = new SplittableRandom(20_240_823);
        for (int i = 0; i < block.length; i += 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8; b++) {
                block[i + b] = (byte) (value >>> (8 * b));
            }
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0, n = 0; written < size; n++) {
                ByteBuffer.wrap(block).putLong(0, n);
                int length = (int) Math.min(block.length, size - written);
                digest.update(block, 0, length);
                ByteBuffer buffer = ByteBuffer.wrap(block, 0, length);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                written += length;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The same bytes from file to socket to file over loopback, a crumb at a time; fsynced at the end if asked. */
    private static long loopbackCopy(Path source, Path target, boolean fsync) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> receiver = CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream();
                        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE)) {
                    byte[] crumb = new byte[CRUMB];
                    for (int read; (read = in.read(crumb)) >= 0; ) {
                        ByteBuffer buffer = ByteBuffer.wrap(crumb, 0, read);
                        while (buffer.hasRemaining()) {
                            out.write(buffer);
                        }
                    }
                    if (fsync) {
                        out.force(true);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long start = System.nanoTime();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    OutputStream out = socket.getOutputStream(); InputStream in = Files.newInputStream(source)) {
                byte[] crumb = new byte[CRUMB];
                for (int read; (read = in.read(crumb)) >= 0; ) {
                    out.write(crumb, 0, read);
                }
            }
            receiver.get();
            return System.nanoTime() - start;
        }
    }

    private static Process startSandbox(Path dir, LocalCertificates certificates) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        // MESHGATE_SANDBOX_JAVA_OPTS: options for the sandbox's JVM, a flight recording for instance.
        String options = System.getenv("MESHGATE_SANDBOX_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SandboxProcess.class.getName(),
                dir.resolve("sandbox-store").toString(), certificates.dir().toString(), certificates.passphrase()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String awaitReady(Process sandbox) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith("READY ")) {
                return line.substring("READY ".length()).trim();
            }
        }
        throw new IllegalStateException("sandbox process ended before it was ready");
    }

    private static String digest(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] crumb = new byte[(int) MIB];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(crumb)) >= 0; ) {
                digest.update(crumb, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static double mibPerSecond(long bytes, long nanos) {
        return bytes / (double) MIB / (nanos / 1e9);
    }

    private static void resetPeakHeap() {
        System.gc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one moment. */
    private static long peakHeap() {
        return heapPools().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private static Stream<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP);
    }
}
