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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import meshgate.client.MeshClient;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.MailboxConfig;
import meshgate.gateway.config.StoreSettings;
import meshgate.gateway.events.EventOutbox;
import meshgate.gateway.events.EventSinks;
import meshgate.gateway.inbound.InboundLayout;
import meshgate.gateway.inbound.InboundReceiver;
import meshgate.gateway.inbound.InboxPoller;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.metrics.MetricsServer;
import meshgate.gateway.ops.DaemonThreads;
import meshgate.gateway.ops.DeliveryTracker;
import meshgate.gateway.ops.MailboxHealth;
import meshgate.gateway.ops.MailboxValidator;
import meshgate.gateway.outbound.LeaseKeeper;
import meshgate.gateway.outbound.OutboundProcessor;
import meshgate.gateway.outbound.OutboundWatcher;
import meshgate.gateway.store.ObjectStore;
import meshgate.gateway.store.ObjectStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MESH gateway: objects under {@code outbound/} go to MESH; messages in the configured mailboxes come back into
 * {@code inbound/}; a ledger records every step so that nothing is lost or sent twice across restarts.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /** How often owed events and paused mailboxes are looked at; each has its own backoff on top. */
    private static final Duration RETRY_TICK = Duration.ofSeconds(1);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();


    private final GatewayConfig config;
    private final ObjectStore store;
    private final Ledger ledger;
    private final Map<String, MeshClient> clients = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler;
    /** The PostgreSQL pool shared by the ledger and the cluster's jobs; null with the embedded ledger. */
    private final com.zaxxer.hikari.HikariDataSource dataSource;
    private meshgate.gateway.cluster.ClusterJobs clusterJobs;
    /** The ledger's provider when {@code ledger.type} is neither embedded nor postgresql; it also runs the jobs. */
    private final meshgate.gateway.ledger.LedgerProvider ledgerProvider;
    private AutoCloseable providedJobs;
    private final ExecutorService senders;
    private final LeaseKeeper leases;
    private final ExecutorService downloads;
    private final OutboundWatcher watcher;
    private final List<InboxPoller> pollers = new ArrayList<>();
    private final DeliveryTracker tracker;
    private final MailboxValidator validator;
    private final MailboxHealth mailboxHealth;
    private final EventOutbox events;
    private final OutboundProcessor processor;
    private final InboundReceiver receiver;
    private final MeshGateMetrics metrics = new MeshGateMetrics();
    private MetricsServer metricsServer;
    private meshgate.gateway.console.ConsoleServer consoleServer;
    private final Clock clock;
    /** Announcements of new outbound objects (S3 event notifications), when {@code outbound_notifications} is set. */
    private final Optional<meshgate.gateway.outbound.OutboundNotificationSource> notificationSource;
    private meshgate.gateway.outbound.OutboundNotificationSource.Running notifications;
    /**
     * This gateway node, as named in the ledger's claims: the same after a restart, so that a node restarted after
     * a crash takes its own work back at once, while other nodes wait for its claims to run out.
     */
    private final String node;

    public Gateway(GatewayConfig config, Clock clock) {
        checkOutboundLease(config);
        // Looked for first: a missing module fails the start before anything is opened.
        this.notificationSource = config.outboundNotifications()
                .map(n -> meshgate.gateway.outbound.OutboundNotificationSource.load());
        this.config = config;
        this.clock = clock;
        this.node = config.nodeId();
        this.store = ObjectStores.open(config.store());
        meshgate.gateway.ledger.OpenLedger opened = meshgate.gateway.ledger.OpenLedger.open(config.ledger(), clock);
        this.dataSource = opened.pool().orElse(null);
        this.ledgerProvider = opened.provider().orElse(null);
        this.ledger = opened.ledger();
        clients.putAll(meshClients(config, clock));
        ScheduledThreadPoolExecutor schedule = new ScheduledThreadPoolExecutor(4 + clients.size(),
                DaemonThreads.named("gateway-schedule"));
        schedule.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = schedule;
        this.senders = Executors.newFixedThreadPool(config.sendConcurrency(), DaemonThreads.named("gateway-send"));
        this.downloads = Executors.newFixedThreadPool(config.getMessageMaxConcurrency(),
                DaemonThreads.named("gateway-receive"));
        clients.values().forEach(metrics::watch);
        metrics.watch(ledger);
        this.leases = new LeaseKeeper(ledger, node, config.outboundLease(), config.meshTimeouts().callBudget());
        this.mailboxHealth = new MailboxHealth(clients, clock, metrics, ledger);
        this.events = new EventOutbox(ledger, store, EventSinks.from(config.events(), clock),
                List.copyOf(clients.keySet()), config.store().s3().map(StoreSettings.S3Settings::bucket), clock,
                metrics);
        this.processor = new OutboundProcessor(store, ledger, clients, config, clock, leases, metrics,
                mailboxHealth);
        this.watcher = new OutboundWatcher(store, processor, scheduler, senders, config.outboundListingInterval(),
                config.outboundSettleTime(), clock);
        Map<String, String> legacyFolders = new LinkedHashMap<>();
        config.mailboxes().forEach(m -> m.inboundFolder().ifPresent(f -> legacyFolders.put(m.mailboxId(), f)));
        this.receiver = new InboundReceiver(store, ledger,
                new InboundLayout(config.useSenderFilename(), config.useLegacyInboundLocation(), legacyFolders),
                config.crumbSize(), metrics, config.maxDecodedSize());
        clients.values().forEach(client -> pollers.add(new InboxPoller(client, receiver, ledger, downloads,
                metrics, mailboxHealth)));
        this.tracker = new DeliveryTracker(ledger, clients, metrics);
        this.validator = new MailboxValidator(clients.values(), mailboxHealth);
    }

    /** A MESH client for each of the gateway's mailboxes, as the gateway makes them; the caller closes them. */
    public static Map<String, MeshClient> meshClients(GatewayConfig config, Clock clock) {
        Map<String, MeshClient> clients = new LinkedHashMap<>();
        for (MailboxConfig mailbox : config.mailboxes()) {
            clients.put(mailbox.mailboxId(), config.meshTimeouts().applyTo(MeshClient.builder())
                    .baseUrl(config.baseUrl())
                    .credentials(mailbox.mailboxId(), mailbox.password().reveal(), config.sharedKey().reveal())
                    .tls(mailbox.tls().orElse(config.tls()).toMeshTls())
                    .chunkSize(config.chunkSize())
                    .crumbSize(config.crumbSize())
                    // Every sender and downloader may use this mailbox's client at once, with a poll and tracking.
                    .connectionPoolSize(Math.max(MeshClient.DEFAULT_CONNECTION_POOL_SIZE,
                            config.sendConcurrency() + config.getMessageMaxConcurrency() + 2))
                    .clock(clock)
                    .build());
        }
        return clients;
    }

    /**
     * Refuses an outbound lease that one MESH call could outlive: were this node to lose touch with the ledger, a
     * call it began could then still land after another node had taken the send over and found nothing yet.
     */
    private static void checkOutboundLease(GatewayConfig config) {
        Duration budget = config.meshTimeouts().callBudget();
        if (!LeaseKeeper.outlasts(config.outboundLease(), budget)) {
            throw new ConfigException("outbound_lease " + config.outboundLease().toSeconds() + "s is too short: one "
                    + "MESH call can take up to " + budget.toSeconds() + "s with its retries (mesh_connect_timeout, "
                    + "mesh_read_timeout, mesh_retry_max_elapsed), and a claim is renewed every fifth of the lease. "
                    + "Set outbound_lease to at least " + LeaseKeeper.shortestLease(budget).toSeconds()
                    + "s, or shorten those timeouts.");
        }
    }

    /** Opens the store, ledger and clients and starts every job. */
    public static Gateway start(GatewayConfig config) {
        Gateway gateway = new Gateway(config, Clock.systemUTC());
        gateway.start();
        return gateway;
    }

    /**
     * Starts the MESH jobs (sending, validation, polling, tracking), unless {@code mesh_jobs} is off, and the delivery
     * of owed events, which needs no MESH. With PostgreSQL, or a provided ledger such as DynamoDB, each recurring job
     * runs on one node at a time, cluster-wide.
     */
    public void start() {
        LOG.info("gateway_starting node={} base_url={} mailboxes={} store={} ledger={} mesh_jobs={}", node,
                config.baseUrl(), clients.keySet(), config.store().type(), config.ledger().type(), config.meshJobs());
        config.metrics().address().ifPresent(address -> metricsServer = MetricsServer.start(address, metrics,
                this::health, config.metrics().serverOptions()));
        config.console().address().ifPresent(address -> consoleServer = startConsole(address));
        List<Job> jobs = new ArrayList<>();
        if (config.meshJobs()) {
            try {
                watcher.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot watch outbound/", e);
            }
            notificationSource.ifPresent(source -> notifications = source.start(
                    config.outboundNotifications().orElseThrow(), config.store().s3().orElseThrow().bucket(),
                    watcher::offer));
            // Each node keeps its own view of which mailboxes MESH refuses, so this runs on every node.
            schedule(mailboxHealth::retryDue, RETRY_TICK, RETRY_TICK);
            jobs.add(new Job("validate-mailboxes", Duration.ZERO, config.handshakeInterval(), validator::validate));
            for (InboxPoller poller : pollers) {
                jobs.add(new Job("poll-" + poller.mailbox(), Duration.ZERO, config.pollInterval(),
                        () -> poller.drain(DRAIN_POLLS)));
            }
            jobs.add(new Job("track-deliveries", config.trackingInterval(), config.trackingInterval(),
                    tracker::track));
        } else {
            LOG.warn("gateway_jobs_off jobs=validate,poll,send,track reason=\"mesh_jobs is off\" note=\"nothing is "
                    + "sent to or received from MESH; files wait in outbound/; set mesh_jobs: true to run them\"");
        }
        jobs.add(new Job("deliver-events", RETRY_TICK, RETRY_TICK, events::deliverDue));
        if (ledgerProvider != null) {
            providedJobs = ledgerProvider.startJobs(ledger, node, jobs.stream()
                    .map(job -> new meshgate.gateway.cluster.ClusterJobs.RecurringJob(job.name(), job.interval(),
                            logged(job.task())))
                    .toList());
        } else if (dataSource == null) {
            jobs.forEach(job -> schedule(job.task(), job.first(), job.interval()));
        } else {
            clusterJobs = meshgate.gateway.cluster.ClusterJobs.start(dataSource, node, jobs.stream()
                    .map(job -> new meshgate.gateway.cluster.ClusterJobs.RecurringJob(job.name(), job.interval(),
                            logged(job.task())))
                    .toList(), jobs.size());
        }
        LOG.info("gateway_started node={} mesh_jobs={}", node, config.meshJobs());
    }

    /** The web console, on the gateway's own ledger, store and view of its mailboxes' health. */
    private meshgate.gateway.console.ConsoleServer startConsole(java.net.InetSocketAddress address) {
        meshgate.gateway.ops.FailedFileRetry retry = new meshgate.gateway.ops.FailedFileRetry(store, ledger, clock);
        return meshgate.gateway.console.ConsoleServer.start(address,
                config.console().token().map(meshgate.gateway.config.Secret::reveal), node,
                new meshgate.gateway.console.ConsoleData(List.copyOf(clients.keySet()), config.meshJobs(), ledger,
                        mailboxHealth, retry, clock), retry, clock);
    }

    /** Polls of one mailbox, one straight after another while each receives messages, before its job's turn ends. */
    static final int DRAIN_POLLS = 100;

    /** A recurring job: first run after {@code first} (one node alone), then every {@code interval} after a run. */
    private record Job(String name, Duration first, Duration interval, Runnable task) {
    }

    private static Runnable logged(Runnable job) {
        return () -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                LOG.error("job_failed reason=\"{}\"", e.toString(), e);
            }
        };
    }

    private void schedule(Runnable job, Duration initialDelay, Duration interval) {
        scheduler.scheduleWithFixedDelay(logged(job), initialDelay.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * The body of {@code /health}: UP, or DEGRADED while MESH refuses a mailbox's credentials or TLS (naming the
     * mailbox and why); this node, its mailboxes, whether it runs the MESH jobs, and how many validations failed.
     */
    private String health() {
        List<MailboxHealth.Pause> paused = mailboxHealth.paused();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", paused.isEmpty() ? "UP" : "DEGRADED");
        body.put("node", node);
        body.put("mailboxes", List.copyOf(clients.keySet()));
        body.put("mesh_jobs", config.meshJobs());
        body.put("paused_mailboxes", paused.stream().map(p -> {
            Map<String, Object> pause = new LinkedHashMap<>();
            pause.put("mailbox", p.mailbox());
            pause.put("reason", p.reason());
            pause.put("since", p.since().toString());
            pause.put("failed_tries", p.failedTries());
            pause.put("next_try", p.nextTry().toString());
            return pause;
        }).toList());
        body.put("mailbox_validation_failures", metrics.mailboxValidationFailures());
        try {
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where {@code /metrics} and {@code /health} are served, when {@code metrics.port} is set. */
    public Optional<java.net.InetSocketAddress> metricsAddress() {
        return Optional.ofNullable(metricsServer).map(MetricsServer::address);
    }

    /** Where the web console is served, when {@code console.port} is set. */
    public Optional<java.net.InetSocketAddress> consoleAddress() {
        return Optional.ofNullable(consoleServer).map(meshgate.gateway.console.ConsoleServer::address);
    }

    public MeshGateMetrics metrics() {
        return metrics;
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

    /**
     * The parts of a gateway that has not been started, for a runtime that drives them one task at a time (an AWS
     * Lambda invocation) instead of the gateway's own schedules.
     */
    public Parts parts() {
        return new Parts(config, processor, receiver, java.util.Collections.unmodifiableMap(clients), tracker,
                mailboxHealth, events);
    }

    /** What {@link #parts()} gives. */
    public record Parts(GatewayConfig config, OutboundProcessor processor, InboundReceiver receiver,
            Map<String, MeshClient> clients, DeliveryTracker tracker, MailboxHealth mailboxHealth,
            EventOutbox events) {
        /** The client of one of the gateway's mailboxes. */
        public MeshClient client(String mailbox) {
            MeshClient client = clients.get(mailbox);
            if (client == null) {
                throw new ConfigException("mailbox " + mailbox + " is not one of this gateway's mailboxes "
                        + clients.keySet());
            }
            return client;
        }
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
        // First, so that no page or retry reaches the ledger or store while they close.
        if (consoleServer != null) {
            consoleServer.close();
        }
        if (notifications != null) {
            notifications.close();
        }
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.warn("watch_close_failed reason=\"{}\"", e.toString());
        }
        if (clusterJobs != null) {
            clusterJobs.close();
        }
        if (providedJobs != null) {
            try {
                providedJobs.close();
            } catch (Exception e) {
                LOG.warn("jobs_close_failed reason=\"{}\"", e.toString());
            }
        }
        // Jobs under way finish rather than being interrupted: an interrupt in the middle of a ledger write closes
        // the embedded database's file channel under it. Jobs not yet started are dropped.
        scheduler.shutdown();
        senders.shutdown();
        downloads.shutdown();
        try {
            if (!scheduler.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    || !senders.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    || !downloads.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("gateway_shutdown_timeout note=\"work in flight resumes at the next start\"");
                scheduler.shutdownNow();
                senders.shutdownNow();
                downloads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leases.close();
        events.close();
        clients.values().forEach(MeshClient::close);
        ledger.close();
        if (dataSource != null) {
            dataSource.close();
        }
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("store_close_failed reason=\"{}\"", e.toString());
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        metrics.close();
        LOG.info("gateway_stopped");
    }
}
