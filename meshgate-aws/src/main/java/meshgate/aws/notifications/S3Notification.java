package meshgate.aws.notifications;

import java.util.List;

/**
 * What one SQS message says about the bucket, once read: objects created, nothing to do, or something that cannot be
 * read (which is left on the queue for its dead-letter queue).
 */
public sealed interface S3Notification {
    /** Objects created (put, copied, or completed from parts). {@code size} is -1 and the others null when absent. */
    record ObjectCreated(String bucket, String key, long size, String etag, String versionId, String sequencer) {
    }

    /** One or more objects created. */
    record Created(List<ObjectCreated> objects) implements S3Notification {
        public Created {
            objects = List.copyOf(objects);
        }
    }

    /** A message that needs nothing done: S3's test event, or an event of another kind (a deletion, say). */
    record Ignored(String why) implements S3Notification {
    }

    /** A message that is not an S3 notification this gateway can read; {@code why} says what is wrong. */
    record Malformed(String why) implements S3Notification {
    }
}
