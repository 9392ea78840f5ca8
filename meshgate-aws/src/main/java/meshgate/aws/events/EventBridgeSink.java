package meshgate.aws.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshgate.gateway.events.EventSink;
import meshgate.gateway.events.MeshEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts events on an EventBridge bus: {@code source}, the kind's {@code detail-type}, the event's time and its fields as
 * the {@code detail} (docs/events.md). Entries go in batches of up to 10 (PutEvents' limit, and well under its 256 KB).
 * EventBridge answers each entry on its own: an entry it refused is put again, alone, up to {@link #ENTRY_TRIES}
 * times, without putting the others twice; one still refused is reported as failed and the outbox tries it later.
 */
public final class EventBridgeSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int BATCH = 10;
    static final int ENTRY_TRIES = 3;

    private final EventBridgeClient client;
    private final String bus;
    private final String source;

    public EventBridgeSink(EventBridgeClient client, String bus, String source) {
        this.client = client;
        this.bus = bus;
        this.source = source;
    }

    @Override
    public void emit(MeshEvent event) throws Exception {
        Exception failure = emitAll(List.of(event)).get(event);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public Map<MeshEvent, Exception> emitAll(List<MeshEvent> events) {
        Map<MeshEvent, Exception> failed = new LinkedHashMap<>();
        for (int from = 0; from < events.size(); from += BATCH) {
            List<MeshEvent> batch = events.subList(from, Math.min(events.size(), from + BATCH));
            try {
                failed.putAll(put(batch));
            } catch (SdkException | JsonProcessingException e) {
                // EventBridge cannot be reached or refused the request: the batches after it would fare no better.
                events.subList(from, events.size()).forEach(event -> failed.put(event, e));
                break;
            }
        }
        return failed;
    }

    /** Puts one batch, again and again for the entries refused; returns those still refused. */
    private Map<MeshEvent, Exception> put(List<MeshEvent> batch) throws JsonProcessingException {
        List<MeshEvent> pending = batch;
        Map<MeshEvent, Exception> refused = new LinkedHashMap<>();
        for (int attempt = 1; attempt <= ENTRY_TRIES && !pending.isEmpty(); attempt++) {
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (MeshEvent event : pending) {
                entries.add(entry(event));
            }
            PutEventsResponse response = client.putEvents(r -> r.entries(entries));
            List<MeshEvent> again = new ArrayList<>();
            refused.clear();
            for (int i = 0; i < pending.size(); i++) {
                PutEventsResultEntry result = i < response.entries().size() ? response.entries().get(i) : null;
                if (result == null || result.errorCode() != null) {
                    MeshEvent event = pending.get(i);
                    String why = result == null ? "no answer for the entry"
                            : result.errorCode() + ": " + result.errorMessage();
                    LOG.warn("eventbridge_entry_refused bus={} kind={} message_id={} attempt={} reason=\"{}\"", bus,
                            event.kind().event(), event.detail().messageId(), attempt, why);
                    again.add(event);
                    refused.put(event, new IOException("EventBridge refused the entry: " + why));
                }
            }
            pending = again;
        }
        return refused;
    }

    private PutEventsRequestEntry entry(MeshEvent event) throws JsonProcessingException {
        PutEventsRequestEntry.Builder entry = PutEventsRequestEntry.builder().eventBusName(bus).source(source)
                .detailType(event.kind().detailType()).detail(JSON.writeValueAsString(event.detail()));
        if (event.detail().time() != null) {
            entry.time(Instant.parse(event.detail().time()));
        }
        return entry.build();
    }

    @Override
    public void close() {
        client.close();
    }
}
