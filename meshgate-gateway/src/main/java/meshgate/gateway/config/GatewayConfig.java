package meshgate.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's settings, as read by {@link GatewayConfigLoader} and checked there. Setting names follow NHS
 * England's serverless MESH client (terraform-aws-mesh-client) and mesh_client; {@code docs/configuration.md} is
 * the reference. {@link #toString} shows no secret.
 */
public record GatewayConfig(
        URI baseUrl,
        Secret sharedKey,
        TlsSettings tls,
        List<MailboxConfig> mailboxes,
        StoreSettings store,
        LedgerSettings ledger,
        int chunkSize,
        int crumbSize,
        long compressThreshold,
        boolean neverCompress,
        long maxDecodedSize,
        int getMessageMaxConcurrency,
        int sendConcurrency,
        boolean useSenderFilename,
        boolean useLegacyInboundLocation,
        boolean useKeyForMexFilename,
        Duration pollInterval,
        Duration outboundRescanInterval,
        Duration outboundSettleTime,
        Duration handshakeInterval,
        Duration trackingInterval,
        SentAction sentAction,
        List<OutboundMapping> outboundMappings,
        EventSettings events,
        boolean meshJobs,
        String nodeId,
        Duration outboundLease,
        MeshTimeouts meshTimeouts,
        MetricsSettings metrics,
        OutboundExisting outboundExisting,
        Optional<OutboundNotificationSettings> outboundNotifications,
        LoggingSettings logging,
        ConsoleSettings console) {

    public GatewayConfig {
        if (maxDecodedSize < 1) {
            throw new IllegalArgumentException("maxDecodedSize must be positive, got " + maxDecodedSize);
        }
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(sharedKey, "sharedKey");
        Objects.requireNonNull(tls, "tls");
        mailboxes = List.copyOf(mailboxes);
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(outboundRescanInterval, "outboundRescanInterval");
        Objects.requireNonNull(outboundSettleTime, "outboundSettleTime");
        Objects.requireNonNull(handshakeInterval, "handshakeInterval");
        Objects.requireNonNull(trackingInterval, "trackingInterval");
        Objects.requireNonNull(sentAction, "sentAction");
        outboundMappings = List.copyOf(outboundMappings);
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(outboundLease, "outboundLease");
        Objects.requireNonNull(meshTimeouts, "meshTimeouts");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(outboundExisting, "outboundExisting");
        Objects.requireNonNull(outboundNotifications, "outboundNotifications");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(console, "console");
    }

    /** How often {@code outbound/} is listed in full: less often when notifications announce new objects. */
    public Duration outboundListingInterval() {
        return outboundNotifications.map(OutboundNotificationSettings::reconciliationInterval)
                .orElse(outboundRescanInterval);
    }

    public Optional<MailboxConfig> mailbox(String mailboxId) {
        return mailboxes.stream().filter(m -> m.mailboxId().equalsIgnoreCase(mailboxId)).findFirst();
    }

    /** The TLS settings to connect as this mailbox: its own client certificate if it has one, else the shared ones. */
    public TlsSettings tlsFor(MailboxConfig mailbox) {
        return mailbox.tls().orElse(tls);
    }

    /** The first outbound mapping whose prefix {@code key} starts with. */
    public Optional<OutboundMapping> outboundMappingFor(String key) {
        return outboundMappings.stream().filter(m -> m.matches(key)).findFirst();
    }
}
