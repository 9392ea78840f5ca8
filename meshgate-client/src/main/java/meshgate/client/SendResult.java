package meshgate.client;

/**
 * A message MESH has accepted: its MESH message id, the local id it was sent with, how many chunks and how many
 * bytes went over the wire (after compression).
 */
public record SendResult(String messageId, String localId, int chunks, long bytesSent) {
}
