package meshgate.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line, for log platforms (CloudWatch Logs, Splunk, an ELK stack): {@code timestamp} (UTC,
 * ISO-8601), {@code level}, {@code logger}, {@code thread}, {@code message} as the text format shows it, then the
 * message's own fields ({@code event} and each {@code key=value} of a MeshGate line, see {@link MessageFields}, and
 * any SLF4J key-value pairs), all as strings so that a field keeps one type on every line, and {@code stack_trace}
 * when there is one. A field named like one of the first five is written with {@code field_} before its name.
 *
 * <p>Logback's own JsonEncoder writes the message as one string and names the fields its own way; this writes the
 * fields the gateway's lines already carry, under the names the text lines use.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "thread", "message",
            "stack_trace");
    /** Only MeshGate's own lines are written as {@code event key=value ...}; others' text is left whole. */
    private static final String OWN_LOGGERS = "meshgate";

    private final JsonFactory json = new JsonFactory();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator line = json.createGenerator(out)) {
            line.writeStartObject();
            line.writeStringField("timestamp", DateTimeFormatter.ISO_INSTANT.format(
                    Instant.ofEpochMilli(event.getTimeStamp())));
            line.writeStringField("level", event.getLevel().toString());
            line.writeStringField("logger", event.getLoggerName());
            line.writeStringField("thread", event.getThreadName());
            line.writeStringField("message", event.getFormattedMessage());
            for (Map.Entry<String, String> field : fields(event).entrySet()) {
                String name = RESERVED.contains(field.getKey()) ? "field_" + field.getKey() : field.getKey();
                line.writeStringField(name, field.getValue());
            }
            IThrowableProxy throwable = event.getThrowableProxy();
            if (throwable != null) {
                line.writeStringField("stack_trace", ThrowableProxyUtil.asString(throwable));
            }
            line.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static Map<String, String> fields(ILoggingEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        String logger = event.getLoggerName();
        if (logger != null && (logger.equals(OWN_LOGGERS) || logger.startsWith(OWN_LOGGERS + "."))) {
            fields.putAll(MessageFields.of(event.getFormattedMessage()));
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                fields.put(pair.key, String.valueOf(pair.value));
            }
        }
        return fields;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
