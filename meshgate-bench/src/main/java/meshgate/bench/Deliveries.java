package meshgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import meshgate.client.DeliveryStatus;
import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.client.MessageMetadata;
import meshgate.client.TrackingInfo;
import meshgate.gateway.store.LocalFolderStore;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectStore;
import meshgate.protocol.MeshHeaders;

/**
 * The exactly-once count of a run, shared by every part that moves messages. The harness records what it dropped
 * (each message's local id and the SHA-256 of its content), waits until the run has settled (everything dropped
 * has left {@code outbound/}, every local id has arrived, and nothing new has arrived for a quiet period), then,
 * with the gateways stopped and the sandbox's faults off, counts what arrived: the files the receiving gateway
 * stored, plus whatever is still in the recipient's MESH inbox (downloaded and acknowledged by the harness, so a
 * second copy that nobody collected is counted too). Every local id dropped must arrive exactly once with the bytes
 * dropped, no other message may arrive, nothing may be left in the inbox, and MESH's tracking must show, for each
 * local id, one message, acknowledged, the one that arrived.
 */
final class Deliveries {
    /** Five times the longest interval at which the benchmarks' gateways poll or rescan (1 s). */
    static final Duration QUIET = Duration.ofSeconds(5);
    /** Longer than a client's whole retry budget (3 minutes): nothing moving for this long is stuck. */
    static final Duration STALL = Duration.ofMinutes(5);
    private static final long PROBE_MILLIS = 250;
    private static final int WORKERS = 8;

    private final Map<String, Expected> expected = new LinkedHashMap<>();
    private final Duration quiet;
    private final Duration stall;

    Deliveries() {
        this(QUIET, STALL);
    }

    Deliveries(Duration quiet, Duration stall) {
        this.quiet = quiet;
        this.stall = stall;
    }

    /** A message the harness dropped: when, and the SHA-256 of its content. */
    record Expected(Instant dropped, String sha256) {
    }

    /** A message that arrived: its local id (null when it had none, or was a report), MESH id and content hash. */
    record Arrival(String localId, String messageId, String sha256, Optional<Instant> storedAt) {
    }

    /** What the harness can see of a run in progress: objects still to send, messages arrived, local ids missing. */
    record Progress(long pending, long arrived, long missing) {
        boolean complete() {
            return pending == 0 && missing == 0;
        }
    }

    /** Looks at a run in progress; a failed look counts as no change. */
    interface Probe {
        Progress probe() throws Exception;
    }

    /**
     * How waiting ended. Settled: complete, then quiet. Otherwise the count is taken anyway and the note says why
     * waiting stopped. {@code completedAt} is the {@link System#nanoTime} at which the run was first complete (-1 if
     * never).
     */
    record Settling(boolean settled, long completedAt, Duration waited, String note) {
        /** Seconds from {@code start} (a {@link System#nanoTime}) until the run was complete, or until waiting ended. */
        double secondsSince(long start) {
            long end = completedAt >= 0 ? completedAt : start + waited.toNanos();
            return Math.max(1e-3, (end - start) / 1e9);
        }
    }

    /** Drops {@code count} files of 1–10 KiB, each written under a hidden name then renamed into place. */
    void drop(Path outbound, String from, String to, int count, long seed) throws IOException {
        Files.createDirectories(outbound);
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            dropOne(outbound, from, to, "bench-" + seed + "-" + i, random);
        }
    }

    /** Drops one file of 1–10 KiB, its metadata first, the file under a hidden name then renamed into place. */
    void dropOne(Path outbound, String from, String to, String localId, Random random) throws IOException {
        byte[] content = new byte[1024 + random.nextInt(9 * 1024)];
        random.nextBytes(content);
        Path target = outbound.resolve(localId + ".dat");
        Files.writeString(target.resolveSibling(localId + ".dat.meta.json"), "{\"mex-from\": \"" + from
                + "\", \"mex-to\": \"" + to + "\", \"mex-workflowid\": \"TEST_WORKFLOW\", \"mex-localid\": \""
                + localId + "\"}", StandardCharsets.UTF_8);
        Path hidden = target.resolveSibling("." + localId + ".writing");
        Files.write(hidden, content);
        Files.move(hidden, target);
        expect(localId, content);
    }

    /** Records a message the caller put in an outbound store itself. */
    void expect(String localId, byte[] content) {
        expected.put(localId, new Expected(Instant.now(), sha256(content)));
    }

    int dropped() {
        return expected.size();
    }

    /**
     * Waits until the run is complete and then quiet for {@link #QUIET}; gives up when nothing has moved for
     * {@link #STALL} or, whatever moves, after a generous bound.
     */
    Settling settle(Probe probe) throws InterruptedException {
        long start = System.nanoTime();
        long bound = start + Duration.ofMinutes(15).plusMillis(100L * expected.size()).toNanos();
        Progress last = null;
        long lastChange = start;
        long completedAt = -1;
        while (true) {
            Progress now = look(probe);
            long time = System.nanoTime();
            if (now != null && !now.equals(last)) {
                last = now;
                lastChange = time;
            }
            boolean complete = last != null && last.complete();
            if (complete && completedAt < 0) {
                completedAt = time;
            }
            Duration still = Duration.ofNanos(time - lastChange);
            Duration waited = Duration.ofNanos(time - start);
            if (complete && still.compareTo(quiet) >= 0) {
                return new Settling(true, completedAt, waited, "nothing new for " + quiet.toSeconds()
                        + " s after the last expected arrival");
            }
            if (still.compareTo(stall) >= 0) {
                return new Settling(false, completedAt, waited, "nothing moved for " + stall.toSeconds() + " s: "
                        + last);
            }
            if (time - bound >= 0) {
                return new Settling(false, completedAt, waited, "still moving after " + waited.toSeconds() + " s: "
                        + last);
            }
            Thread.sleep(PROBE_MILLIS);
        }
    }

    private static Progress look(Probe probe) {
        try {
            return probe.probe();
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Progress between two gateways on local folders: files left in the sender's {@code outbound/}, files stored in
     * the recipient's {@code inbound/{mailbox}/}, and local ids not stored yet. Each stored file's metadata is read
     * once.
     */
    Probe folders(Path senderRoot, Path recipientRoot, String mailbox) {
        Map<String, String> localIdByKey = new HashMap<>();
        return () -> {
            try (LocalFolderStore sender = new LocalFolderStore(senderRoot);
                    LocalFolderStore recipient = new LocalFolderStore(recipientRoot)) {
                long pending = sender.list("outbound/").size();
                List<ObjectInfo> stored = recipient.list("inbound/" + mailbox + "/");
                for (ObjectInfo object : stored) {
                    if (!localIdByKey.containsKey(object.key())) {
                        localIdByKey.put(object.key(), String.valueOf(recipient.decodedMetadata(object.key())
                                .get(MeshHeaders.LOCAL_ID)));
                    }
                }
                return new Progress(pending, stored.size(), missing(new HashSet<>(localIdByKey.values())));
            }
        };
    }

    /** How many local ids dropped are not among {@code arrived}. */
    long missing(Set<String> arrived) {
        return expected.keySet().stream().filter(id -> !arrived.contains(id)).count();
    }

    /**
     * The count once the gateways have stopped: what {@code to}'s gateway stored under its folder, whatever is left
     * in {@code to}'s MESH inbox (downloaded and acknowledged now), and {@code from}'s tracking. The sandbox's faults
     * are switched off first: the count is a measurement, not part of the test.
     */
    Outcome collect(LocalMesh mesh, String from, String to) throws Exception {
        mesh.sandbox.faults().off();
        try (LocalFolderStore store = new LocalFolderStore(mesh.root(to)); MeshClient recipient = mesh.client(to);
                MeshClient sender = mesh.client(from)) {
            return count(stored(store, to), drain(recipient), sender);
        }
    }

    /** The count of what the functions or gateway stored in {@code store}, and of anything left in the inbox. */
    Outcome collectStored(ObjectStore store, String mailbox, MeshClient recipient, MeshClient sender)
            throws Exception {
        return count(stored(store, mailbox), drain(recipient), sender);
    }

    /** The count when the harness itself is the recipient: everything in its MESH inbox, and the sender's tracking. */
    Outcome collectInbox(MeshClient recipient, MeshClient sender) throws Exception {
        return count(drain(recipient), List.of(), sender);
    }

    /** Every object stored under {@code inbound/{mailbox}/}, with its content hashed. */
    static List<Arrival> stored(ObjectStore store, String mailbox) throws IOException {
        List<Arrival> stored = new ArrayList<>();
        for (ObjectInfo object : store.list("inbound/" + mailbox + "/")) {
            Map<String, String> metadata = store.decodedMetadata(object.key());
            MessageDigest digest = newDigest();
            try (InputStream in = store.content(object.key()).open(0);
                    OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                in.transferTo(out);
            }
            stored.add(new Arrival(metadata.get(MeshHeaders.LOCAL_ID), metadata.get(MeshHeaders.MESSAGE_ID),
                    HexFormat.of().formatHex(digest.digest()), Optional.of(object.lastModified())));
        }
        return stored;
    }

    /** Downloads and acknowledges everything in the inbox, listing it again until it is empty. */
    static List<Arrival> drain(MeshClient recipient) throws Exception {
        List<Arrival> drained = new ArrayList<>();
        for (List<String> ids = recipient.inbox(); !ids.isEmpty(); ids = recipient.inbox()) {
            drained.addAll(inParallel(ids.stream().<Callable<Arrival>>map(id -> () -> take(recipient, id)).toList()));
        }
        return drained;
    }

    private static Arrival take(MeshClient recipient, String messageId) throws IOException {
        MessageDigest digest = newDigest();
        MessageMetadata metadata;
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            metadata = recipient.download(messageId, out, true);
        }
        recipient.acknowledge(messageId);
        String localId = metadata.isReport() ? null : metadata.localId().orElse(null);
        return new Arrival(localId, messageId, HexFormat.of().formatHex(digest.digest()), Optional.empty());
    }

    /**
     * For each local id dropped, what MESH's tracking tells {@code sender}: a problem unless exactly one message has
     * it, acknowledged, and it is one that arrived.
     */
    List<String> trackingProblems(MeshClient sender, Map<String, Set<String>> arrivedIds) throws Exception {
        List<Callable<Optional<String>>> checks = expected.keySet().stream()
                .<Callable<Optional<String>>>map(localId -> () -> trackingProblem(sender, localId,
                        arrivedIds.getOrDefault(localId, Set.of())))
                .toList();
        return inParallel(checks).stream().flatMap(Optional::stream).toList();
    }

    private static Optional<String> trackingProblem(MeshClient sender, String localId, Set<String> arrived) {
        Optional<TrackingInfo> tracked;
        try {
            tracked = sender.trackByLocalId(localId);
        } catch (MeshException e) {
            return Optional.of(localId + ": " + (e.httpStatus() == 300 ? "MESH has several messages"
                    : "tracking failed: " + e.getMessage()));
        }
        if (tracked.isEmpty()) {
            return Optional.of(localId + ": MESH has no message");
        }
        if (tracked.get().status() != DeliveryStatus.ACKNOWLEDGED) {
            return Optional.of(localId + ": " + tracked.get().messageId() + " is " + tracked.get().status());
        }
        if (!arrived.contains(tracked.get().messageId())) {
            return Optional.of(localId + ": tracked message " + tracked.get().messageId() + " never arrived");
        }
        return Optional.empty();
    }

    /**
     * Counts per local id. A message left in the inbox that the gateway had stored (same MESH id) is not a second
     * arrival, but it is still counted as left in the inbox.
     */
    private Outcome count(List<Arrival> stored, List<Arrival> leftInInbox, MeshClient sender) throws Exception {
        Set<String> storedIds = new HashSet<>();
        stored.forEach(a -> storedIds.add(a.messageId()));
        List<Arrival> arrivals = new ArrayList<>(stored);
        leftInInbox.stream().filter(a -> !storedIds.contains(a.messageId())).forEach(arrivals::add);

        Map<String, Set<String>> messageIds = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int received = 0;
        int unknown = 0;
        int wrongContent = 0;
        for (Arrival arrival : arrivals) {
            Expected wanted = arrival.localId() == null ? null : expected.get(arrival.localId());
            if (wanted == null) {
                unknown++;
                problems.add("unknown: " + arrival.messageId() + " (local id " + arrival.localId() + ")");
                continue;
            }
            received++;
            messageIds.computeIfAbsent(arrival.localId(), id -> new HashSet<>()).add(arrival.messageId());
            if (!wanted.sha256().equals(arrival.sha256())) {
                wrongContent++;
                problems.add("wrong content: " + arrival.localId() + " as " + arrival.messageId());
            }
        }
        List<String> tracking = trackingProblems(sender, messageIds);
        problems.addAll(tracking);
        int unique = messageIds.size();
        return new Outcome(expected.size(), received, unique, expected.size() - unique, received - unique, unknown,
                wrongContent, leftInInbox.size(), tracking.size(), latencies(stored), List.copyOf(problems));
    }

    /** From the drop to the first stored copy, per local id, in milliseconds, sorted. */
    private long[] latencies(List<Arrival> stored) {
        Map<String, Long> first = new HashMap<>();
        for (Arrival arrival : stored) {
            Expected wanted = arrival.localId() == null ? null : expected.get(arrival.localId());
            if (wanted != null && arrival.storedAt().isPresent()) {
                long millis = Math.max(0, Duration.between(wanted.dropped(), arrival.storedAt().get()).toMillis());
                first.merge(arrival.localId(), millis, Math::min);
            }
        }
        long[] sorted = first.values().stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<T> results = new ArrayList<>(tasks.size());
            for (Future<T> future : pool.invokeAll(tasks)) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String sha256(byte[] content) {
        return HexFormat.of().formatHex(newDigest().digest(content));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * Expected: local ids dropped. Received: arrivals with a dropped local id (stored, or left in the inbox under a
     * MESH id nobody stored). Lost = expected - unique; duplicates = received - unique.
     */
    record Outcome(int expected, int received, int unique, int lost, int duplicates, int unknown, int wrongContent,
            int leftInInbox, int trackingProblems, long[] latenciesMs, List<String> problems) {
        long percentile(double p) {
            if (latenciesMs.length == 0) {
                return -1;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesMs.length) - 1;
            return latenciesMs[Math.max(0, Math.min(index, latenciesMs.length - 1))];
        }

        boolean exactlyOnce() {
            return lost == 0 && duplicates == 0 && unknown == 0 && wrongContent == 0 && leftInInbox == 0
                    && trackingProblems == 0;
        }
    }
}
