package meshgate.aws.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import meshgate.gateway.events.EventSink;
import meshgate.gateway.events.MeshEvent;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes each event to an SNS topic. The message is the envelope EventBridge hands its targets
 * ({@code source}, {@code detail-type}, {@code time}, {@code detail}), so one parser reads both; the attributes
 * {@code detail_type} and {@code mailbox} let a subscription's filter policy choose without reading it.
 */
public final class SnsSink implements EventSink {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsClient client;
    private final String topicArn;
    private final String source;

    public SnsSink(SnsClient client, String topicArn, String source) {
        this.client = client;
        this.topicArn = topicArn;
        this.source = source;
    }

    @Override
    public void emit(MeshEvent event) throws Exception {
        ObjectNode envelope = JSON.createObjectNode().put("source", source)
                .put("detail-type", event.kind().detailType()).put("time", event.detail().time());
        envelope.set("detail", JSON.valueToTree(event.detail()));
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("detail_type", text(event.kind().detailType()));
        if (event.detail().mailbox() != null) {
            attributes.put("mailbox", text(event.detail().mailbox()));
        }
        String message = JSON.writeValueAsString(envelope);
        client.publish(r -> r.topicArn(topicArn).message(message).messageAttributes(attributes));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    @Override
    public void close() {
        client.close();
    }
}
