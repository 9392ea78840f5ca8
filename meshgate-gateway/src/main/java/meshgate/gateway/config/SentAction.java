package meshgate.gateway.config;

/** What happens to a file under {@code outbound/} once MESH has accepted it. */
public enum SentAction {
    /** The file is deleted. */
    DELETE,
    /** The file is moved to {@code sent/{message_id}/{path under outbound/}}. */
    ARCHIVE
}
