package meshgate.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import meshgate.client.MeshClient;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.MailboxConfig;
import meshgate.gateway.events.EventSinks;
import meshgate.gateway.inbound.InboundLayout;
import meshgate.gateway.inbound.InboundReceiver;
import meshgate.gateway.inbound.InboxPoller;
import meshgate.gateway.ledger.H2Ledger;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ops.DeliveryTracker;
import meshgate.gateway.ops.MailboxValidator;
import meshgate.gateway.outbound.OutboundProcessor;
import meshgate.gateway.outbound.OutboundWatcher;
import meshgate.gateway.store.LocalFolderStore;
import meshgate.gateway.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MESH gateway: objects under {@code outbound/} go to MESH; messages in the configured mailboxes come back into
 * {@code inbound/}; a ledger records every step so that nothing is lost or sent twice across restarts.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /** How long a node's claim on an outbound object lasts without news; renewed with every chunk sent. */
    private static final Duration OUTBOUND_LEASE = Duration.ofMinutes(2);


    private final GatewayConfig config;
    private final ObjectStore store;
    private final Ledger ledger;
    private final Map<String, MeshClient> clients = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService senders;
    private final ExecutorService downloads;
    private final OutboundWatcher watcher;
    private final List<InboxPoller> pollers = new ArrayList<>();
    private final DeliveryTracker tracker;
    private final MailboxValidator validator;
    /**
     * This gateway node, as named in the ledger's claims: the same after a restart, so that a node restarted after
     * a crash takes its own work back at once, while other nodes wait for its claims to run out.
     */
    private final String node;

    public Gateway(GatewayConfig config, Clock clock) {
        this.config = config;
        this.node = Optional.ofNullable(System.getenv("MESHGATE_NODE_ID")).filter(s -> !s.isBlank())
                .orElseGet(Gateway::hostName);
        this.store = openStore(config);
        this.ledger = openLedger(config);
        for (MailboxConfig mailbox : config.mailboxes()) {
            clients.put(mailbox.mailboxId(), MeshClient.builder()
                    .baseUrl(config.baseUrl())
                    .credentials(mailbox.mailboxId(), mailbox.password().reveal(), config.sharedKey().reveal())
                    .tls(mailbox.tls().orElse(config.tls()).toMeshTls())
                    .chunkSize(config.chunkSize())
                    .crumbSize(config.crumbSize())
                    .clock(clock)
                    .build());
        }
        this.scheduler = Executors.newScheduledThreadPool(2 + clients.size(), threads("gateway-schedule"));
        this.senders = Executors.newFixedThreadPool(config.sendConcurrency(), threads("gateway-send"));
        this.downloads = Executors.newFixedThreadPool(config.getMessageMaxConcurrency(), threads("gateway-receive"));
        OutboundProcessor processor = new OutboundProcessor(store, ledger, clients, config, clock, node, OUTBOUND_LEASE);
        this.watcher = new OutboundWatcher(store, processor, scheduler, senders, config.outboundRescanInterval(),
                config.outboundSettleTime(), clock);
        Map<String, String> legacyFolders = new LinkedHashMap<>();
        config.mailboxes().forEach(m -> m.inboundFolder().ifPresent(f -> legacyFolders.put(m.mailboxId(), f)));
        InboundReceiver receiver = new InboundReceiver(store, ledger,
                new InboundLayout(config.useSenderFilename(), config.useLegacyInboundLocation(), legacyFolders),
                EventSinks.from(config.events()), config.crumbSize());
        clients.values().forEach(client -> pollers.add(new InboxPoller(client, receiver, ledger, downloads)));
        this.tracker = new DeliveryTracker(ledger, clients);
        this.validator = new MailboxValidator(clients.values());
    }

    /** Opens the store, ledger and clients and starts every job. */
    public static Gateway start(GatewayConfig config) {
        Gateway gateway = new Gateway(config, Clock.systemUTC());
        gateway.start();
        return gateway;
    }

    public void start() {
        LOG.info("gateway_starting base_url={} mailboxes={} store={} ledger={}", config.baseUrl(), clients.keySet(),
                config.store().root(), config.ledger().path());
        schedule(validator::validate, Duration.ZERO, config.handshakeInterval());
        try {
            watcher.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch outbound/", e);
        }
        for (InboxPoller poller : pollers) {
            schedule(poller::poll, Duration.ZERO, config.pollInterval());
        }
        schedule(tracker::track, config.trackingInterval(), config.trackingInterval());
        LOG.info("gateway_started");
    }

    private void schedule(Runnable job, Duration initialDelay, Duration interval) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                LOG.error("job_failed reason=\"{}\"", e.toString(), e);
            }
        }, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Polls every mailbox now, returning the number of messages received. */
    public int pollNow() {
        return pollers.stream().mapToInt(InboxPoller::poll).sum();
    }

    /** Looks at outbound/ now. */
    public void scanNow() throws IOException {
        watcher.scan();
    }

    /** Tracks accepted messages now. */
    public int trackNow() {
        return tracker.track();
    }

    /** Calls to MESH tried again since start, over all mailboxes. */
    public long retries() {
        return clients.values().stream().mapToLong(MeshClient::retries).sum();
    }

    public Ledger ledger() {
        return ledger;
    }

    public ObjectStore store() {
        return store;
    }

    /**
     * Stops taking new work, lets sends and downloads in flight finish (a send cut short resumes from the ledger
     * at the next start), then closes the ledger.
     */
    @Override
    public void close() {
        LOG.info("gateway_stopping");
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.warn("watch_close_failed reason=\"{}\"", e.toString());
        }
        scheduler.shutdownNow();
        senders.shutdown();
        downloads.shutdown();
        try {
            if (!senders.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    || !downloads.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("gateway_shutdown_timeout note=\"work in flight resumes at the next start\"");
                senders.shutdownNow();
                downloads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clients.values().forEach(MeshClient::close);
        ledger.close();
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("store_close_failed reason=\"{}\"", e.toString());
        }
        LOG.info("gateway_stopped");
    }

    private static ObjectStore openStore(GatewayConfig config) {
        if (!"local".equals(config.store().type())) {
            throw new IllegalArgumentException("store type '" + config.store().type() + "' is not available");
        }
        return new LocalFolderStore(config.store().root());
    }

    private static Ledger openLedger(GatewayConfig config) {
        if (!"embedded".equals(config.ledger().type())) {
            throw new IllegalArgumentException("ledger type '" + config.ledger().type() + "' is not available");
        }
        return H2Ledger.open(config.ledger().path());
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
