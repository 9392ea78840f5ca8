package meshgate.gateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A MESH mailbox the gateway works for.
 *
 * @param mailboxId upper case, as MESH issues it (for example {@code X26ABC1})
 * @param inboundFolder the store folder for received messages when {@code use_legacy_inbound_location} is true
 * @param tls present when this mailbox has its own client certificate; it then holds the complete settings (the
 *     top-level {@code ca_bundle} and verification flags included), so {@code tls().orElse(config.tls())} is what
 *     to connect with
 */
public record MailboxConfig(String mailboxId, Secret password, Optional<String> inboundFolder,
        Optional<TlsSettings> tls) {
    public MailboxConfig {
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(inboundFolder, "inboundFolder");
        Objects.requireNonNull(tls, "tls");
    }
}
