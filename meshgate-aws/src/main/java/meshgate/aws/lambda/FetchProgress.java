package meshgate.aws.lambda;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshgate.gateway.store.S3ObjectStore.UploadCheckpoint;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * How far the download of one large message has got, in the ledger's table beside its records: the key it is
 * written to, the S3 upload holding the chunks done, and how many chunks that is. Each write names the version it
 * follows, so two invocations carrying on one download (a queue message delivered twice) never both go on: the one
 * whose write is refused stops. The item expires with the upload it names (two weeks) if never finished.
 */
final class FetchProgress {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration KEEP = Duration.ofDays(14);

    private final DynamoDbClient dynamo;
    private final String table;

    FetchProgress(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** One download's progress: {@code chunksDone} chunks of the message are in the upload's parts. */
    record State(String objectKey, UploadCheckpoint checkpoint, int chunksDone, long version) {
    }

    /** Thrown when another invocation has recorded progress of this download since it was read. */
    static final class TakenOver extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TakenOver(String what) {
            super(what, null, false, false);
        }
    }

    Optional<State> load(String mailbox, String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(mailbox, messageId))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        List<List<String>> parts;
        try {
            parts = JSON.readValue(item.get("parts").s(), new TypeReference<List<List<String>>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable fetch progress of " + messageId, e);
        }
        UploadCheckpoint checkpoint = new UploadCheckpoint(item.get("upload_id").s(), parts.stream()
                .map(p -> new UploadCheckpoint.Part(Integer.parseInt(p.get(0)), p.get(1))).toList(),
                Long.parseLong(item.get("size").n()));
        return Optional.of(new State(item.get("object_key").s(), checkpoint,
                Integer.parseInt(item.get("chunks_done").n()), Long.parseLong(item.get("version").n())));
    }

    /**
     * Records progress following {@code previous} (empty for the first record).
     *
     * @throws TakenOver when another invocation has recorded progress since
     */
    State save(String mailbox, String messageId, Optional<State> previous, String objectKey,
            UploadCheckpoint checkpoint, int chunksDone) {
        long version = previous.map(s -> s.version() + 1).orElse(1L);
        String parts;
        try {
            parts = JSON.writeValueAsString(checkpoint.parts().stream()
                    .map(p -> List.of(Integer.toString(p.number()), p.eTag())).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(mailbox, messageId));
        item.put("object_key", AttributeValue.fromS(objectKey));
        item.put("upload_id", AttributeValue.fromS(checkpoint.uploadId()));
        item.put("parts", AttributeValue.fromS(parts));
        item.put("size", AttributeValue.fromN(Long.toString(checkpoint.size())));
        item.put("chunks_done", AttributeValue.fromN(Integer.toString(chunksDone)));
        item.put("version", AttributeValue.fromN(Long.toString(version)));
        item.put("expires_at", AttributeValue.fromN(Long.toString(Instant.now().plus(KEEP).getEpochSecond())));
        try {
            if (previous.isEmpty()) {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("version = :v")
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(
                                Long.toString(previous.get().version())))));
            }
        } catch (ConditionalCheckFailedException e) {
            throw new TakenOver("another invocation recorded progress of " + messageId + " first");
        }
        return new State(objectKey, checkpoint, chunksDone, version);
    }

    void delete(String mailbox, String messageId) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(mailbox, messageId)));
    }

    private static Map<String, AttributeValue> key(String mailbox, String messageId) {
        return Map.of("pk", AttributeValue.fromS("fetch#" + mailbox + "#" + messageId));
    }
}
