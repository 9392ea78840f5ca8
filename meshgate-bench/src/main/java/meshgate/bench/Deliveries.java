package meshgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import meshgate.gateway.store.LocalFolderStore;
import meshgate.gateway.store.ObjectInfo;

/**
 * Small messages dropped into one gateway's {@code outbound/} and counted in another's {@code inbound/}: how many
 * arrived, how many are missing (lost), how many arrived more than once (duplicates), and how long each took from
 * landing in outbound/ to being complete in inbound/ (the stored file's modification time).
 */
final class Deliveries {
    private final Map<String, Instant> dropped = new LinkedHashMap<>();
    private final Map<String, Integer> sizes = new HashMap<>();

    /** Drops {@code count} files of 1–10 KiB, each written under a hidden name then renamed into place. */
    void drop(Path outbound, String from, String to, int count, long seed) throws IOException {
        Files.createDirectories(outbound);
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            String localId = "bench-" + seed + "-" + i;
            byte[] content = new byte[1024 + random.nextInt(9 * 1024)];
            random.nextBytes(content);
            Path target = outbound.resolve(localId + ".dat");
            Files.writeString(target.resolveSibling(localId + ".dat.meta.json"), "{\"mex-from\": \"" + from
                    + "\", \"mex-to\": \"" + to + "\", \"mex-workflowid\": \"TEST_WORKFLOW\", \"mex-localid\": \""
                    + localId + "\"}", StandardCharsets.UTF_8);
            Path hidden = target.resolveSibling("." + localId + ".writing");
            Files.write(hidden, content);
            Files.move(hidden, target);
            dropped.put(localId, Instant.now());
            sizes.put(localId, content.length);
        }
    }

    int dropped() {
        return dropped.size();
    }

    /** What is in the recipient's inbound folder now. */
    Outcome count(Path recipientRoot, String mailbox) throws IOException {
        try (LocalFolderStore store = new LocalFolderStore(recipientRoot)) {
            Map<String, Integer> copies = new HashMap<>();
            long[] latencies = new long[dropped.size()];
            int measured = 0;
            int wrongSize = 0;
            for (ObjectInfo object : store.list("inbound/" + mailbox + "/")) {
                String localId = store.metadata(object.key()).get("mex-localid");
                Instant landed = dropped.get(localId);
                if (landed == null) {
                    continue;
                }
                if (copies.merge(localId, 1, Integer::sum) == 1) {
                    latencies[measured++] = Math.max(0, Duration.between(landed, object.lastModified()).toMillis());
                }
                if (object.size() != sizes.get(localId)) {
                    wrongSize++;
                }
            }
            int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
            long[] sorted = Arrays.copyOf(latencies, measured);
            Arrays.sort(sorted);
            return new Outcome(dropped.size(), copies.size(), dropped.size() - copies.size(), duplicates, wrongSize,
                    sorted);
        }
    }

    /** Waits until every dropped message arrived, or the timeout passed. */
    Outcome await(Path recipientRoot, String mailbox, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path folder = recipientRoot.resolve("inbound").resolve(mailbox);
        while (System.nanoTime() < deadline) {
            // Cheap while waiting (names only), so that the harness takes little of the CPU the gateways need;
            // every stored file's metadata is read once all seem to be there.
            if (storedFiles(folder) >= dropped.size()) {
                Outcome outcome = count(recipientRoot, mailbox);
                if (outcome.lost() == 0) {
                    return outcome;
                }
            }
            Thread.sleep(100);
        }
        return count(recipientRoot, mailbox);
    }

    /** Received files in {@code folder}: neither hidden (being written) nor a metadata sidecar. */
    private static long storedFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> !name.startsWith(".") && !name.endsWith(".meta.json")).count();
        }
    }

    record Outcome(int sent, int received, int lost, int duplicates, int corrupted, long[] latenciesMs) {
        long percentile(double p) {
            if (latenciesMs.length == 0) {
                return -1;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesMs.length) - 1;
            return latenciesMs[Math.max(0, Math.min(index, latenciesMs.length - 1))];
        }

        boolean exactlyOnce() {
            return lost == 0 && duplicates == 0 && corrupted == 0;
        }
    }
}
