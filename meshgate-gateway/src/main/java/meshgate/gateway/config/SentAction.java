package meshgate.gateway.config;

/** What happens to a file under {@code outbound/} once MESH has accepted it. */
public enum SentAction {
    /** The file is deleted. */
    DELETE,
    /** The file is moved to {@code sent/{message_id}/{path under outbound/}}. */
    ARCHIVE,
    /**
     * The file stays where it is, as NHS England's Terraform MESH module leaves it; the ledger remembers the version
     * sent, so it is not sent again, while a new object written to the same key later is.
     */
    KEEP
}
