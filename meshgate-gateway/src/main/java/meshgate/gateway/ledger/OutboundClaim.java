package meshgate.gateway.ledger;

import java.util.Objects;

/**
 * A claim on one outbound record: who holds it and which claim of the record it is. Every claim gets a higher
 * {@code generation} than the one before, so a node whose claim ran out and was taken over cannot write over the
 * new owner's progress, even when it is the same node restarted under the same name.
 */
public record OutboundClaim(long recordId, String owner, long generation) {
    public OutboundClaim {
        Objects.requireNonNull(owner, "owner");
    }
}
