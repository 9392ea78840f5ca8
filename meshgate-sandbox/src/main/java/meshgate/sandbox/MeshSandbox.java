package meshgate.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import meshgate.sandbox.api.AdminAccess;
import meshgate.sandbox.api.Authenticator;
import meshgate.sandbox.api.MailboxDirectory;
import meshgate.sandbox.api.MeshApiHandler;
import meshgate.sandbox.api.SandboxContext;
import meshgate.sandbox.fault.FaultController;
import meshgate.sandbox.fault.FaultSettings;
import meshgate.sandbox.store.ExpirySweep;
import meshgate.sandbox.store.MemoryChunkStore;
import meshgate.sandbox.store.MessageIds;
import meshgate.sandbox.store.MessageStore;
import meshgate.sandbox.tls.CertificateAuthority;
import meshgate.sandbox.tls.IssuedCertificate;
import meshgate.sandbox.tls.SandboxTls;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MESH API server for tests and laptops, with the public MESH sandbox's mailboxes, workflows and behaviour.
 *
 * <pre>{@code
 * try (MeshSandbox sandbox = MeshSandbox.builder().start()) {
 *     String url = sandbox.baseUrl(); // http://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class MeshSandbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeshSandbox.class);

    private final Server server;
    private final ServerConnector connector;
    private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
    private final String scheme;
    private final String host;
    private final SandboxContext ctx;
    private final ScheduledExecutorService sweeper;
    private final CertificateAuthority authority;
    private final IssuedCertificate serverCertificate;

    private MeshSandbox(Builder b) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Clock clock = b.clock;
        MessageStore store = b.store == null ? MessageStore.inMemory(MemoryChunkStore.DEFAULT_SPILL_THRESHOLD, json)
                : MessageStore.inFolder(b.store, json);
        MailboxDirectory directory = new MailboxDirectory(b.mailboxes, b.workflows);
        MessageIds ids = new MessageIds(clock, new SecureRandom());
        this.ctx = new SandboxContext(directory, store, ids, clock, b.messageExpiry,
                new ExpirySweep(store, ids, clock, b.messageExpiry),
                new Authenticator(directory, b.sharedKey, b.strictSkew, clock), new FaultController(b.faults), json,
                b.gzipOnTheFly);

        SSLContext ssl = b.sslContext;
        if (b.generateCertificates) {
            authority = CertificateAuthority.create("MeshGate Sandbox CA");
            serverCertificate = authority.issueServer(serverNames(b.host));
            ssl = SandboxTls.serverContext(serverCertificate, authority.certificate());
        } else {
            authority = null;
            serverCertificate = null;
        }
        this.scheme = ssl == null ? "http" : "https";
        this.host = b.host;

        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("meshgate-sandbox");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        if (ssl == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setSslContext(ssl);
            tls.setNeedClientAuth(b.requireClientCertificate);
            connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(http));
        }
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.addEventListener(new SelectorManager.AcceptListener() {
            @Override
            public void onAccepted(java.nio.channels.SelectableChannel channel) {
                accepted.incrementAndGet();
            }
        });
        server.addConnector(connector);
        server.setHandler(new MeshApiHandler(ctx,
                AdminAccess.forListenAddress(b.host, java.util.Optional.ofNullable(b.adminToken))));
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            store.close();
            throw e;
        }

        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshgate-sandbox-expiry");
            t.setDaemon(true);
            return t;
        });
        long every = b.expiryCheckInterval.toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        LOG.info("MESH sandbox started url={} client_cert_required={} store={}", baseUrl(),
                b.requireClientCertificate, b.store == null ? "memory" : b.store);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:PORT} or {@code https://...}, without a trailing slash. */
    public String baseUrl() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (shown.contains(":")) {
            shown = "[" + shown + "]";
        }
        return scheme + "://" + shown + ":" + port();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** TCP connections accepted since start: with HTTPS, each one costs a TLS handshake. */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** The live fault-injection controller. */
    public FaultController faults() {
        return ctx.faults();
    }

    /** Runs the expiry sweep now; returns how many messages became undeliverable. */
    public int expireNow() {
        return ctx.expiry().run();
    }

    /** Forgets every message (and, in strict mode, every used token). */
    public void reset() {
        ctx.store().clear();
        ctx.auth().forgetTokens();
    }

    public List<SandboxMailbox> mailboxes() {
        return ctx.directory().mailboxes();
    }

    /**
     * Gives a mailbox a new password, as MESH's service desk does: clients still using the old one are refused
     * (HTTP 403) from the next request.
     */
    public void changePassword(String mailboxId, String password) {
        ctx.directory().changePassword(mailboxId, password);
    }

    /** The CA behind {@link Builder#httpsWithGeneratedCertificates()}; empty otherwise. */
    public Optional<CertificateAuthority> certificateAuthority() {
        return Optional.ofNullable(authority);
    }

    /** The server certificate from {@link Builder#httpsWithGeneratedCertificates()}; empty otherwise. */
    public Optional<IssuedCertificate> serverCertificate() {
        return Optional.ofNullable(serverCertificate);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("MESH sandbox did not stop cleanly", e);
        } finally {
            ctx.store().close();
        }
    }

    private void sweepQuietly() {
        try {
            ctx.expiry().run();
        } catch (RuntimeException e) {
            LOG.warn("expiry sweep failed", e);
        }
    }

    private static String[] serverNames(String host) {
        if (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("0.0.0.0") || host.equals("::")) {
            return new String[] {"localhost", "127.0.0.1"};
        }
        return new String[] {host, "localhost", "127.0.0.1"};
    }

    /** Options of a sandbox; every one has a default, so {@code MeshSandbox.builder().start()} works. */
    public static final class Builder {
        private int port;
        private String host = "127.0.0.1";
        private SSLContext sslContext;
        private boolean generateCertificates;
        private boolean requireClientCertificate;
        private String sharedKey = "TestKey";
        private List<SandboxMailbox> mailboxes = SandboxMailbox.defaults();
        private List<SandboxWorkflow> workflows = SandboxWorkflow.defaults();
        private Duration strictSkew;
        private Path store;
        private Clock clock = Clock.systemUTC();
        private Duration messageExpiry = Duration.ofDays(5);
        private boolean gzipOnTheFly;
        private Duration expiryCheckInterval = Duration.ofMinutes(1);
        private FaultSettings faults = FaultSettings.none();
        private String adminToken;

        private Builder() {
        }

        /**
         * The token the admin endpoints (reset, inject, expire, faults) require as {@code Authorization: Bearer
         * TOKEN} when the sandbox listens on an address other than loopback; without one they are then refused.
         * On loopback they stay open unless a token is set.
         */
        public Builder adminToken(String token) {
            this.adminToken = Objects.requireNonNull(token);
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The address to listen on; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** Plain HTTP (the default). */
        public Builder http() {
            this.sslContext = null;
            this.generateCertificates = false;
            return this;
        }

        /** HTTPS with the given server context (its trust managers decide which client certificates pass). */
        public Builder https(SSLContext serverContext) {
            this.sslContext = Objects.requireNonNull(serverContext);
            this.generateCertificates = false;
            return this;
        }

        /**
         * HTTPS with a fresh CA and a server certificate for localhost/127.0.0.1; client certificates issued by that
         * CA ({@link MeshSandbox#certificateAuthority()}) are trusted.
         */
        public Builder httpsWithGeneratedCertificates() {
            this.sslContext = null;
            this.generateCertificates = true;
            return this;
        }

        /** With HTTPS: refuse the TLS handshake of a client without a trusted certificate. */
        public Builder requireClientCertificate(boolean require) {
            this.requireClientCertificate = require;
            return this;
        }

        /** The MESH shared key of the auth token hmac; default {@code TestKey}, as the public sandbox uses. */
        public Builder sharedKey(String sharedKey) {
            this.sharedKey = Objects.requireNonNull(sharedKey);
            return this;
        }

        public Builder mailboxes(List<SandboxMailbox> mailboxes) {
            this.mailboxes = List.copyOf(mailboxes);
            return this;
        }

        public Builder workflows(List<SandboxWorkflow> workflows) {
            this.workflows = List.copyOf(workflows);
            return this;
        }

        /**
         * Loads shared key, mailboxes and workflows from a JSON file (shape in {@code SandboxConfigFile} and the
         * module README); fields the file leaves out keep their current values. Later builder calls override it.
         */
        public Builder config(Path file) {
            SandboxConfigFile config = SandboxConfigFile.load(file, new ObjectMapper());
            config.sharedKey().ifPresent(this::sharedKey);
            config.mailboxes().ifPresent(this::mailboxes);
            config.workflows().ifPresent(this::workflows);
            return this;
        }

        /**
         * Checks, beyond the public sandbox, that a token's timestamp is within {@code skew} of the clock and that no
         * token (mailbox, nonce, nonce count) is used twice within that window. Real MESH allows 2 hours.
         */
        public Builder strictAuth(Duration skew) {
            this.strictSkew = Objects.requireNonNull(skew);
            return this;
        }

        /**
         * Serve a message stored plain gzip-encoded ({@code Content-Encoding: gzip}, {@code mex-content-compressed:
         * Y}) to a v2 download that accepts gzip, as the public MESH sandbox does; default off (served as stored).
         */
        public Builder gzipOnTheFly(boolean value) {
            this.gzipOnTheFly = value;
            return this;
        }

        /** Keep messages under {@code folder} (survives restarts) instead of in memory. */
        public Builder store(Path folder) {
            this.store = folder;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How long an accepted message waits for acknowledgement before it is undeliverable; default 5 days. */
        public Builder messageExpiry(Duration expiry) {
            this.messageExpiry = Objects.requireNonNull(expiry);
            return this;
        }

        /** How often the background expiry sweep runs; default 1 minute. */
        public Builder expiryCheckInterval(Duration interval) {
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("expiry check interval must be positive");
            }
            this.expiryCheckInterval = interval;
            return this;
        }

        /** Initial fault settings; change them later through {@link MeshSandbox#faults()}. */
        public Builder faults(FaultSettings faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        public MeshSandbox start() {
            if (requireClientCertificate && sslContext == null && !generateCertificates) {
                throw new IllegalStateException("requireClientCertificate needs https(...) or "
                        + "httpsWithGeneratedCertificates()");
            }
            try {
                return new MeshSandbox(this);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot start MESH sandbox: " + e.getMessage(), e);
            }
        }
    }
}
