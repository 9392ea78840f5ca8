package meshgate.gateway.config;

import java.util.Objects;

/**
 * The MESH addressing for files whose key starts with {@code prefix} (for example {@code outbound/X26ABC1/}): sent
 * from mailbox {@code mexFrom} to {@code mexTo} under workflow {@code mexWorkflowId}. Where several prefixes match a
 * key, the first mapping in the configured order wins.
 */
public record OutboundMapping(String prefix, String mexFrom, String mexTo, String mexWorkflowId) {
    public OutboundMapping {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(mexFrom, "mexFrom");
        Objects.requireNonNull(mexTo, "mexTo");
        Objects.requireNonNull(mexWorkflowId, "mexWorkflowId");
    }

    public boolean matches(String key) {
        return key.startsWith(prefix);
    }
}
