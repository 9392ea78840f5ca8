package meshgate.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import meshgate.client.MeshClient;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OutboundState;

/**
 * The meters of MeshGate (gateway and DPS jobs), named in one place, with the JVM's own meters.
 * {@code docs/operations.md} lists them as Prometheus shows them, for example
 * {@code meshgate_outbound_messages_total{mailbox="X26ABC1",outcome="accepted"}}.
 */
public final class MeshGateMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public MeshGateMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format named by {@code contentType} (an Accept header; may be null). */
    public String scrape(String contentType) {
        return registry.scrape(contentType == null ? "" : contentType);
    }

    /** A MESH handshake of {@code mailbox}: the daily validation MESH asks of its clients. */
    public void mailboxValidated(String mailbox, boolean valid) {
        registry.counter("meshgate.mailbox.validations", "mailbox", mailbox, "outcome", valid ? "success" : "failure")
                .increment();
    }

    /** Failed mailbox validations since start, over every mailbox. */
    public long mailboxValidationFailures() {
        return (long) registry.find("meshgate.mailbox.validations").tag("outcome", "failure").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** An outbound object accepted by MESH, with its content bytes and the time the send took. */
    public void outboundAccepted(String mailbox, long bytes, Duration took) {
        outbound(mailbox, "accepted").increment();
        Counter.builder("meshgate.outbound.bytes").baseUnit("bytes").tag("mailbox", mailbox).register(registry)
                .increment(bytes);
        Timer.builder("meshgate.outbound.send.duration").tag("mailbox", mailbox)
                .publishPercentileHistogram(false).register(registry).record(took);
    }

    /** An outbound object that cannot be sent as it is; it is kept under {@code failed/} with the reason. */
    public void outboundFailed(String mailbox) {
        outbound(mailbox, "failed").increment();
    }

    /**
     * An outbound object that changed while MESH was being sent it: MESH holds an earlier version, and the changed file
     * is sent as a message of its own.
     */
    public void outboundChangedDuringSend(String mailbox) {
        outbound(mailbox, "changed_during_send").increment();
    }

    /** An outbound send cut short by something passing (MESH or the network); it is tried again. */
    public void outboundRetried(String mailbox) {
        outbound(mailbox, "retried").increment();
    }

    private Counter outbound(String mailbox, String outcome) {
        return registry.counter("meshgate.outbound.messages", "mailbox", mailbox, "outcome", outcome);
    }

    /** A received message durably stored (before it is acknowledged). */
    public void inboundStored(String mailbox, long bytes) {
        inbound(mailbox, "stored").increment();
        Counter.builder("meshgate.inbound.bytes").baseUnit("bytes").tag("mailbox", mailbox).register(registry)
                .increment(bytes);
    }

    public void inboundAcknowledged(String mailbox) {
        inbound(mailbox, "acknowledged").increment();
    }

    /** A download or acknowledgement that failed; it is tried again at the next poll. */
    public void inboundFailed(String mailbox) {
        inbound(mailbox, "failed").increment();
    }

    /**
     * A gzip-encoded message stored as received instead of decoded: {@code reason} is {@code too_large} (it decodes
     * to more than {@code max_decoded_size}) or {@code invalid_gzip}.
     */
    public void inboundNotDecoded(String mailbox, String reason) {
        registry.counter("meshgate.inbound.not_decoded", "mailbox", mailbox, "reason", reason).increment();
    }

    private Counter inbound(String mailbox, String outcome) {
        return registry.counter("meshgate.inbound.messages", "mailbox", mailbox, "outcome", outcome);
    }

    /** A sent message that tracking found in a final state: acknowledged, undeliverable or expired. */
    public void delivered(String mailbox, String status) {
        registry.counter("meshgate.outbound.deliveries", "mailbox", mailbox, "status",
                status.toLowerCase(Locale.ROOT)).increment();
    }

    /** A DPS export file of {@code programme} sent to MESH and accepted, or not. */
    public void dpsExport(String programme, boolean sent) {
        registry.counter("meshgate.dps.exports", "programme", programme, "outcome", sent ? "sent" : "failed")
                .increment();
    }

    /** Calls of {@code client} to MESH tried again (connection errors, 429, 5xx), read when scraped. */
    public void watch(MeshClient client) {
        FunctionCounter.builder("meshgate.mesh.retries", client, MeshClient::retries)
                .tag("mailbox", client.mailbox()).register(registry);
    }

    /**
     * How many ledger records are in each state, read when scraped (at most once a second): the backlog waiting to
     * be sent ({@code QUEUED}, {@code SENDING}), sent messages not yet collected ({@code ACCEPTED}), files kept in
     * {@code failed/} ({@code FAILED}).
     */
    public void watch(Ledger ledger) {
        LedgerCounts counts = new LedgerCounts(ledger);
        for (OutboundState state : OutboundState.values()) {
            Gauge.builder("meshgate.ledger.outbound.records", counts, c -> c.outbound(state))
                    .description("Outbound ledger records in this state").tag("state", state.name())
                    .strongReference(true)
                    .register(registry);
        }
        for (InboundState state : InboundState.values()) {
            Gauge.builder("meshgate.ledger.inbound.records", counts, c -> c.inbound(state))
                    .description("Inbound ledger records in this state").tag("state", state.name())
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** One poll of a mailbox's inbox that reached MESH (whatever it found). */
    public void inboxPolled(String mailbox) {
        registry.counter("meshgate.inbox.polls", "mailbox", mailbox).increment();
    }

    /**
     * Whether a mailbox is paused (1) because MESH refuses its credentials or its TLS handshake fails, read when
     * scraped; while paused nothing is sent from it or polled, and its files wait in {@code outbound/}.
     */
    public void watchPaused(String mailbox, java.util.function.Predicate<String> paused) {
        Gauge.builder("meshgate.mailbox.paused", paused, p -> p.test(mailbox) ? 1 : 0)
                .description("1 while the mailbox is paused for a credential or TLS problem").tag("mailbox", mailbox)
                .strongReference(true).register(registry);
    }

    /** Events stored in the ledger and not yet delivered to every sink, read when scraped. */
    public void watchPendingEvents(java.util.function.DoubleSupplier pending) {
        Gauge.builder("meshgate.events.pending", pending, java.util.function.DoubleSupplier::getAsDouble)
                .description("Events of stored messages not yet delivered").strongReference(true).register(registry);
    }

    /** A try to deliver an event that failed; it is tried again later. */
    public void eventFailed() {
        registry.counter("meshgate.events.failures").increment();
    }

    /** One count of both tables serves every gauge of a scrape. */
    private static final class LedgerCounts {
        private static final long FRESH_NANOS = 1_000_000_000L;
        private final Ledger ledger;
        private Map<OutboundState, Long> outbound;
        private Map<InboundState, Long> inbound;
        private long countedAt;

        LedgerCounts(Ledger ledger) {
            this.ledger = ledger;
        }

        synchronized double outbound(OutboundState state) {
            return refresh() ? outbound.get(state) : Double.NaN;
        }

        synchronized double inbound(InboundState state) {
            return refresh() ? inbound.get(state) : Double.NaN;
        }

        /** False when the ledger cannot be read (closed, or the database is down): the gauges show NaN. */
        private boolean refresh() {
            if (outbound != null && System.nanoTime() - countedAt < FRESH_NANOS) {
                return true;
            }
            try {
                outbound = ledger.countOutbound();
                inbound = ledger.countInbound();
                countedAt = System.nanoTime();
                return true;
            } catch (RuntimeException e) {
                outbound = null;
                return false;
            }
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
