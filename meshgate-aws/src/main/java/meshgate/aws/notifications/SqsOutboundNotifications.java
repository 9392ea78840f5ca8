package meshgate.aws.notifications;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import meshgate.aws.notifications.S3Notification.Created;
import meshgate.aws.notifications.S3Notification.Ignored;
import meshgate.aws.notifications.S3Notification.Malformed;
import meshgate.aws.notifications.S3Notification.ObjectCreated;
import meshgate.gateway.config.OutboundNotificationSettings;
import meshgate.gateway.ops.Backoff;
import meshgate.gateway.outbound.OutboundNotificationSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Receives S3 event notifications of new objects from an SQS queue (sent there by S3, by SNS, or by an EventBridge
 * rule) and offers each object under {@code outbound/} to the gateway. Long polls, ten messages at a time; a message
 * is deleted only once every object it announces is recorded in the ledger, so a crash or a failure in between means
 * it is received again after the visibility timeout. A message that cannot be read is never deleted: the queue's
 * redrive policy moves it to its dead-letter queue after its maxReceiveCount.
 */
public final class SqsOutboundNotifications implements OutboundNotificationSource {
    private static final Logger LOG = LoggerFactory.getLogger(SqsOutboundNotifications.class);
    /** SQS's longest long poll: fewer empty receives, each answered as soon as a message arrives. */
    private static final int WAIT_SECONDS = 20;
    private static final int BATCH = 10;
    private static final Backoff RECEIVE_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Override
    public Running start(OutboundNotificationSettings settings, String bucket, Offers offers) {
        Receiver receiver = new Receiver(client(settings), settings, bucket, offers);
        receiver.thread.start();
        LOG.info("outbound_notifications_started queue_url={} bucket={} visibility_timeout_s={}",
                settings.sqsQueueUrl(), bucket, settings.visibilityTimeout().toSeconds());
        return receiver;
    }

    static SqsClient client(OutboundNotificationSettings settings) {
        SqsClientBuilder builder = SqsClient.builder().httpClientBuilder(Apache5HttpClient.builder()
                .socketTimeout(Duration.ofSeconds(WAIT_SECONDS + 20)));
        settings.region().map(Region::of).ifPresent(builder::region);
        settings.endpoint().ifPresent(builder::endpointOverride);
        if (settings.accessKeyId().isPresent() && settings.secretAccessKey().isPresent()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    settings.accessKeyId().get().reveal(), settings.secretAccessKey().get().reveal())));
        }
        return builder.build();
    }

    /** The receiving loop, on a thread of its own. */
    private static final class Receiver implements Running {
        private final SqsClient sqs;
        private final OutboundNotificationSettings settings;
        private final String bucket;
        private final Offers offers;
        private final Thread thread;
        private volatile boolean closed;

        Receiver(SqsClient sqs, OutboundNotificationSettings settings, String bucket, Offers offers) {
            this.sqs = sqs;
            this.settings = settings;
            this.bucket = bucket;
            this.offers = offers;
            this.thread = new Thread(this::run, "outbound-notifications");
            thread.setDaemon(true);
        }

        private void run() {
            int failures = 0;
            while (!closed) {
                List<Message> messages;
                try {
                    messages = sqs.receiveMessage(b -> b.queueUrl(settings.sqsQueueUrl()).maxNumberOfMessages(BATCH)
                            .waitTimeSeconds(WAIT_SECONDS)
                            .visibilityTimeout((int) settings.visibilityTimeout().toSeconds())
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                            .messages();
                    failures = 0;
                } catch (SdkException | IllegalStateException e) {
                    if (closed) {
                        return;
                    }
                    Duration wait = RECEIVE_BACKOFF.after(++failures);
                    LOG.warn("outbound_notifications_receive_failed queue_url={} failed_tries={} retry_in_ms={} "
                            + "reason=\"{}\"", settings.sqsQueueUrl(), failures, wait.toMillis(), e.toString());
                    if (!pause(wait)) {
                        return;
                    }
                    continue;
                }
                handleAll(messages);
            }
        }

        private void handleAll(List<Message> messages) {
            List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
            for (Message message : messages) {
                try {
                    if (handle(message)) {
                        done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                                .receiptHandle(message.receiptHandle()).build());
                    }
                } catch (RuntimeException e) {
                    // Whatever went wrong with one message, the others and the loop go on; this one comes back.
                    LOG.error("outbound_notification_failed message_id={} reason=\"{}\"", message.messageId(),
                            e.toString(), e);
                }
            }
            if (!done.isEmpty() && !closed) {
                delete(done);
            }
        }

        /** True when the message may be deleted: every object it announces is recorded, or it needs nothing. */
        private boolean handle(Message message) {
            S3Notification notification = S3NotificationParser.parse(message.body());
            if (notification instanceof Malformed malformed) {
                LOG.warn("outbound_notification_malformed message_id={} receive_count={} reason=\"{}\" note=\"left on "
                        + "the queue: its redrive policy moves it to the dead-letter queue\"", message.messageId(),
                        receiveCount(message), malformed.why());
                return false;
            }
            if (notification instanceof Ignored ignored) {
                LOG.debug("outbound_notification_ignored message_id={} reason=\"{}\"", message.messageId(),
                        ignored.why());
                return true;
            }
            boolean all = true;
            for (ObjectCreated object : ((Created) notification).objects()) {
                all &= offer(message, object);
            }
            return all;
        }

        private boolean offer(Message message, ObjectCreated object) {
            if (!bucket.equals(object.bucket())) {
                LOG.warn("outbound_notification_malformed message_id={} receive_count={} reason=\"an object in "
                        + "bucket {}, not in this gateway's bucket {}\" note=\"left on the queue: its redrive policy "
                        + "moves it to the dead-letter queue\"", message.messageId(), receiveCount(message),
                        object.bucket(), bucket);
                return false;
            }
            try {
                boolean recorded = offers.offer(object.key());
                LOG.debug("outbound_notification key={} bytes={} etag={} version_id={} sequencer={} recorded={}",
                        object.key(), object.size(), object.etag(), object.versionId(), object.sequencer(), recorded);
                return recorded;
            } catch (IOException | RuntimeException e) {
                LOG.warn("outbound_notification_offer_failed message_id={} key={} reason=\"{}\" note=\"received "
                        + "again after the visibility timeout\"", message.messageId(), object.key(), e.toString());
                return false;
            }
        }

        private void delete(List<DeleteMessageBatchRequestEntry> entries) {
            try {
                List<BatchResultErrorEntry> failed = sqs.deleteMessageBatch(b -> b.queueUrl(settings.sqsQueueUrl())
                        .entries(entries)).failed();
                for (BatchResultErrorEntry error : failed) {
                    LOG.warn("outbound_notification_delete_failed entry={} code={} reason=\"{}\" note=\"received "
                            + "again; its objects are recorded already, so nothing is sent twice\"", error.id(),
                            error.code(), error.message());
                }
            } catch (SdkException e) {
                LOG.warn("outbound_notification_delete_failed count={} reason=\"{}\" note=\"received again; their "
                        + "objects are recorded already, so nothing is sent twice\"", entries.size(), e.toString());
            }
        }

        private static String receiveCount(Message message) {
            return message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?");
        }

        private boolean pause(Duration wait) {
            try {
                Thread.sleep(wait.toMillis());
                return !closed;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void close() {
            closed = true;
            thread.interrupt();
            // Ends a long poll in progress rather than waiting up to its 20 seconds.
            sqs.close();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("outbound_notifications_stopped queue_url={}", settings.sqsQueueUrl());
        }
    }
}
