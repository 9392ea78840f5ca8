package meshgate.gateway.outbound;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds objects under {@code outbound/} and hands each complete one to the {@link OutboundProcessor}, once at a time.
 * A file-system watch (for a local folder), or notifications passed to {@link #offer} (S3 event notifications),
 * notice new objects at once; a periodic rescan is the safety net, and the only means for stores that cannot be
 * watched. An object counts as complete once unchanged for the settle time
 * (writing under a hidden name and renaming is better still: hidden names are never listed).
 */
public final class OutboundWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundWatcher.class);

    private final ObjectStore store;
    private final OutboundProcessor processor;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService senders;
    private final Duration rescanInterval;
    private final Duration settleTime;
    private final Clock clock;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Held by the one scan that runs at a time. */
    private final ReentrantLock scanLock = new ReentrantLock();
    /** Set by every request for a scan; the scan that runs next clears it, so a burst of requests costs one scan. */
    private final AtomicBoolean scanRequested = new AtomicBoolean();
    private volatile boolean closed;
    private WatchService watchService;
    private Thread watchThread;

    public OutboundWatcher(ObjectStore store, OutboundProcessor processor, ScheduledExecutorService scheduler,
            ExecutorService senders, Duration rescanInterval, Duration settleTime, Clock clock) {
        this.store = store;
        this.processor = processor;
        this.scheduler = scheduler;
        this.senders = senders;
        this.rescanInterval = rescanInterval;
        this.settleTime = settleTime;
        this.clock = clock;
    }

    /**
     * Adopts what is under outbound/ if this is the store's first start (before anything is sent, so nothing there
     * then is sent by mistake), then watches and lists.
     */
    public void start() throws IOException {
        processor.adoptExisting();
        Optional<Path> folder = store.localFolder(OutboundProcessor.OUTBOUND);
        if (folder.isPresent()) {
            Files.createDirectories(folder.get());
            watchService = FileSystems.getDefault().newWatchService();
            registerTree(folder.get());
            watchThread = new Thread(this::watchLoop, "outbound-watch");
            watchThread.setDaemon(true);
            watchThread.start();
        }
        scheduler.scheduleWithFixedDelay(this::scanQuietly, 0, rescanInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lists outbound/ now and schedules every complete object not already being sent. */
    public void scan() throws IOException {
        scanLock.lock();
        try {
            scanRequested.set(false);
            scanOnce();
        } finally {
            scanLock.unlock();
        }
        if (scanRequested.get()) {
            // Asked for while this scan ran, and turned away by its lock.
            scanQuietly();
        }
    }

    private void scanOnce() throws IOException {
        Duration soonest = null;
        for (ObjectInfo object : store.list(OutboundProcessor.OUTBOUND)) {
            if (closed) {
                return;
            }
            Duration age = Duration.between(object.lastModified(), clock.instant());
            if (age.compareTo(settleTime) < 0) {
                Duration wait = settleTime.minus(age);
                soonest = soonest == null || wait.compareTo(soonest) < 0 ? wait : soonest;
                continue;
            }
            if (inFlight.add(object.key())) {
                submit(object);
            }
        }
        if (soonest != null) {
            scheduler.schedule(this::scanQuietly, soonest.toMillis() + 10, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One object announced by a notification (S3 event notifications, say), as the listing would find it: recorded in
     * the ledger, then sent unless it is being sent already, was sent, or was adopted. Whichever of a notification and
     * the listing sees an object first, the ledger's record of its version, and the claim on it, keep it to one send.
     *
     * @return true once the object is recorded in the ledger, or is not there to send (gone, or not under outbound/):
     *     the notification may then be forgotten
     * @throws IOException when the store or the ledger could not be asked: the notification must be kept
     */
    public boolean offer(String key) throws IOException {
        if (!key.startsWith(OutboundProcessor.OUTBOUND) || key.endsWith("/")) {
            return true;
        }
        // Found the way a listing finds it (the store's own rules for hidden names, the same times and versions), so
        // both paths name the same version in the ledger.
        Optional<ObjectInfo> object = store.list(key).stream().filter(o -> o.key().equals(key)).findFirst();
        if (object.isEmpty()) {
            LOG.debug("outbound_offer_gone key={}", key);
            return true;
        }
        processor.record(object.get());
        if (inFlight.add(key)) {
            submit(object.get());
        }
        return true;
    }

    private void submit(ObjectInfo object) {
        try {
            senders.execute(() -> {
                try {
                    processor.process(object);
                } catch (IOException | RuntimeException e) {
                    LOG.error("outbound_error key={} reason=\"{}\"", object.key(), e.toString(), e);
                } finally {
                    inFlight.remove(object.key());
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(object.key());
        }
    }

    /**
     * Asks for a scan. Requests that arrive while one runs (a burst of new files) are served together by one more
     * scan once it ends, rather than each by a scan of its own.
     */
    private void scanQuietly() {
        scanRequested.set(true);
        while (!closed && scanRequested.get() && scanLock.tryLock()) {
            try {
                if (scanRequested.getAndSet(false)) {
                    scanOnce();
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("outbound_scan_failed reason=\"{}\"", e.toString());
            } finally {
                scanLock.unlock();
            }
        }
    }

    private void watchLoop() {
        while (!closed) {
            WatchKey key;
            try {
                key = watchService.take();
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                return;
            }
            Path dir = (Path) key.watchable();
            for (var event : key.pollEvents()) {
                if (event.context() instanceof Path name && Files.isDirectory(dir.resolve(name))) {
                    try {
                        registerTree(dir.resolve(name));
                    } catch (IOException e) {
                        LOG.warn("outbound_watch_register_failed dir={} reason=\"{}\"", dir.resolve(name), e.toString());
                    }
                }
            }
            key.reset();
            try {
                scheduler.execute(this::scanQuietly);
            } catch (RejectedExecutionException e) {
                return;
            }
        }
    }

    private void registerTree(Path root) throws IOException {
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            }
        }
    }

    /** True while nothing is being sent. */
    public boolean idle() {
        return inFlight.isEmpty();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (watchService != null) {
            watchService.close();
        }
    }
}
