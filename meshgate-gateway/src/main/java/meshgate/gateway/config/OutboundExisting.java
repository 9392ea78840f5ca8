package meshgate.gateway.config;

/**
 * What the gateway does, at its first start on a store, with the objects already under {@code outbound/}. NHS
 * England's Terraform MESH module leaves every object it sent there, so a bucket taken over from it is full of objects
 * MESH already has.
 */
public enum OutboundExisting {
    /**
     * They are recorded in the ledger as already sent ({@code ADOPTED}) and left where they are, never sent. Only what
     * is written after the first start is sent.
     */
    ADOPT,
    /** They are sent, like any object written later. */
    SEND;

    /** The {@code outbound_existing} setting; {@code adopt} unless set, so that nothing is sent twice. */
    static OutboundExisting read(Section top) {
        String text = top.text("outbound_existing").filter(s -> !s.isEmpty()).orElse("adopt");
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "adopt" -> ADOPT;
            case "send" -> SEND;
            default -> throw top.fail("outbound_existing", "must be adopt or send, got '" + text + "'");
        };
    }
}
