package meshgate.gateway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import meshgate.gateway.config.EventSettings;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event sinks MeshGate ships: the log, an HTTP webhook, a command; and all of those configured, together. */
public final class EventSinks {
    private static final Logger EVENTS = LoggerFactory.getLogger("meshgate.events");
    private static final Logger EVENTS_LOG = LoggerFactory.getLogger(EventSinks.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventSinks() {
    }

    static String json(InboundEvent event) throws JsonProcessingException {
        return JSON.writeValueAsString(event);
    }

    /** Every sink the settings name; an event counts as delivered once every one has taken it. */
    public static EventSink from(EventSettings settings) {
        List<EventSink> sinks = new ArrayList<>();
        if (settings.log()) {
            sinks.add(log());
        }
        settings.webhookUrl().ifPresent(url -> sinks.add(webhook(url)));
        if (!settings.command().isEmpty()) {
            sinks.add(command(settings.command(), Duration.ofMinutes(1)));
        }
        return event -> {
            for (EventSink sink : sinks) {
                sink.emit(event);
            }
        };
    }

    /** One JSON line per event on the {@code meshgate.events} logger. */
    public static EventSink log() {
        return event -> EVENTS.info(json(event));
    }

    /** POSTs the event as JSON; any status but 2xx is a failure (and the event is tried again later). */
    public static EventSink webhook(URI url) {
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(30, TimeUnit.SECONDS).build();
        MediaType type = MediaType.get("application/json");
        return event -> {
            Request request = new Request.Builder().url(url.toString())
                    .post(RequestBody.create(json(event), type)).build();
            try (Response response = http.newCall(request).execute()) {
                if (!response.isSuccessful()) {
                    throw new IOException("webhook " + url + " answered HTTP " + response.code());
                }
            }
        };
    }

    /**
     * Runs a command with the event's JSON on its standard input; its exit code alone says whether it took the event:
     * zero is delivered, even if it did not read its input (then writing it fails with a broken pipe), non-zero is a
     * failure.
     */
    public static EventSink command(List<String> command, Duration timeout) {
        return event -> {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(json(event).getBytes(StandardCharsets.UTF_8));
            } catch (IOException unread) {
                // The command closed its input or exited before reading all of it; its exit code decides.
                EVENTS_LOG.debug("event_command_input_unread reason=\"{}\"", unread.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("event command timed out after " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("event command exited with " + process.exitValue());
            }
        };
    }
}
