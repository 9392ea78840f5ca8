package meshgate.client;

/** Told of each chunk MESH accepts during a send, to record progress durably before the next one. */
@FunctionalInterface
public interface SendListener {
    SendListener NONE = (messageId, chunk, totalChunks) -> { };

    void chunkAccepted(String messageId, int chunk, int totalChunks);
}
