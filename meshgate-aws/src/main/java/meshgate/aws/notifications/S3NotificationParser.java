package meshgate.aws.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import meshgate.aws.notifications.S3Notification.Created;
import meshgate.aws.notifications.S3Notification.Ignored;
import meshgate.aws.notifications.S3Notification.Malformed;
import meshgate.aws.notifications.S3Notification.ObjectCreated;

/**
 * Reads the body of an SQS message in the shapes AWS delivers S3 event notifications in:
 * <ul>
 *   <li>S3 to SQS (or through SNS, raw or wrapped in SNS's envelope): {@code Records[]}, each with an
 *       {@code eventName} such as {@code ObjectCreated:Put} and {@code s3.bucket.name}, {@code s3.object.key}
 *       (URL-encoded, a space as {@code +}), {@code size}, {@code eTag}, {@code versionId}, {@code sequencer}; or the
 *       {@code s3:TestEvent} S3 sends when notifications are set up;</li>
 *   <li>EventBridge to SQS: {@code detail-type} {@code Object Created}, {@code detail.bucket.name},
 *       {@code detail.object.key} (not encoded), {@code etag}, {@code version-id}, {@code size}, {@code sequencer};
 *       or {@code AWS API Call via CloudTrail} for {@code PutObject}, {@code CompleteMultipartUpload} or
 *       {@code CopyObject}, with {@code detail.requestParameters.bucketName} and {@code key}.</li>
 * </ul>
 */
public final class S3NotificationParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATED = "ObjectCreated:";
    /** The S3 API calls, as CloudTrail names them, that leave a new object under its key. */
    private static final java.util.Set<String> CREATING_CALLS = java.util.Set.of("PutObject",
            "CompleteMultipartUpload", "CopyObject");

    private S3NotificationParser() {
    }

    public static S3Notification parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Malformed("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new Malformed("not a JSON object");
        }
        if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
            // SNS's envelope, when the subscription does not deliver raw messages.
            return parse(root.path("Message").asText());
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) {
            return new Ignored("s3:TestEvent, sent when the bucket's notifications were set up");
        }
        if (root.has("Records")) {
            return records(root.path("Records"));
        }
        if (root.has("detail-type")) {
            return eventBridge(root);
        }
        return new Malformed("neither an S3 event notification (Records) nor an EventBridge event (detail-type)");
    }

    private static S3Notification records(JsonNode records) {
        if (!records.isArray()) {
            return new Malformed("Records is not a list");
        }
        List<ObjectCreated> created = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (JsonNode record : records) {
            String eventName = record.path("eventName").asText("");
            if (!eventName.startsWith(CREATED)) {
                other.add(eventName.isEmpty() ? "(no eventName)" : eventName);
                continue;
            }
            String bucket = text(record.path("s3").path("bucket").path("name"));
            String encodedKey = text(record.path("s3").path("object").path("key"));
            if (bucket == null || encodedKey == null) {
                return new Malformed(eventName + " without s3.bucket.name or s3.object.key");
            }
            String key;
            try {
                key = URLDecoder.decode(encodedKey, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return new Malformed("s3.object.key is not URL-encoded as S3 sends it: " + e.getMessage());
            }
            JsonNode object = record.path("s3").path("object");
            created.add(new ObjectCreated(bucket, key, object.path("size").asLong(-1), text(object.path("eTag")),
                    text(object.path("versionId")), text(object.path("sequencer"))));
        }
        if (created.isEmpty()) {
            return new Ignored("no object created: " + (other.isEmpty() ? "no records" : String.join(",", other)));
        }
        return new Created(created);
    }

    private static S3Notification eventBridge(JsonNode root) {
        String detailType = root.path("detail-type").asText("");
        if (!"aws.s3".equals(root.path("source").asText())) {
            return new Malformed("an EventBridge event from " + root.path("source").asText("(no source)")
                    + ", not from aws.s3");
        }
        if ("AWS API Call via CloudTrail".equals(detailType)) {
            return cloudTrail(root.path("detail"));
        }
        if (!"Object Created".equals(detailType)) {
            return new Ignored("EventBridge " + detailType);
        }
        JsonNode detail = root.path("detail");
        String bucket = text(detail.path("bucket").path("name"));
        String key = text(detail.path("object").path("key"));
        if (bucket == null || key == null) {
            return new Malformed("Object Created without detail.bucket.name or detail.object.key");
        }
        JsonNode object = detail.path("object");
        return new Created(List.of(new ObjectCreated(bucket, key, object.path("size").asLong(-1),
                text(object.path("etag")), text(object.path("version-id")), text(object.path("sequencer")))));
    }

    /**
     * An S3 API call recorded by CloudTrail (data events), as the Terraform MESH module's own EventBridge rules match
     * them: only the bucket and the key are known.
     */
    private static S3Notification cloudTrail(JsonNode detail) {
        String call = detail.path("eventName").asText("");
        if (!"s3.amazonaws.com".equals(detail.path("eventSource").asText()) || !CREATING_CALLS.contains(call)) {
            return new Ignored("CloudTrail " + detail.path("eventSource").asText("(no eventSource)") + " " + call);
        }
        String bucket = text(detail.path("requestParameters").path("bucketName"));
        String key = text(detail.path("requestParameters").path("key"));
        if (bucket == null || key == null) {
            return new Malformed("CloudTrail " + call + " without requestParameters.bucketName or key");
        }
        return new Created(List.of(new ObjectCreated(bucket, key, -1, null, null, null)));
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }
}
