package meshgate.dps.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Objects;
import meshgate.dps.export.ExportSettings;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.MailboxConfig;

/**
 * The DPS export's settings, as read by {@link DpsSettingsLoader}; {@code docs/dps.md} is the reference.
 *
 * @param mesh the MESH connection (base URL, shared key, TLS, mailboxes) from the gateway configuration file
 * @param mailbox the mailbox the exports are sent from
 * @param meshJobs whether the scheduled jobs run at all; off, each says so in the log instead
 * @param exportTime the time of day of the nightly export, in {@code export.zone()}
 */
public record DpsSettings(
        GatewayConfig mesh,
        MailboxConfig mailbox,
        ExportSettings export,
        SourceSettings source,
        Path ledgerPath,
        boolean meshJobs,
        Duration validateInterval,
        LocalTime exportTime,
        Duration trackingInterval) {
    public DpsSettings {
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(export, "export");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ledgerPath, "ledgerPath");
        Objects.requireNonNull(validateInterval, "validateInterval");
        Objects.requireNonNull(exportTime, "exportTime");
        Objects.requireNonNull(trackingInterval, "trackingInterval");
    }
}
