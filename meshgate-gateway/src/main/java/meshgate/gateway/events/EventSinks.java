package meshgate.gateway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import meshgate.gateway.config.EventSettings;
import meshgate.gateway.config.Secret;
import meshgate.gateway.config.WebhookSettings;
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

    /**
     * The event as the log, webhook and command sinks carry it: {@code event} (its kind) and the fields of its
     * detail, in one flat JSON object.
     */
    public static String json(MeshEvent event) throws JsonProcessingException {
        com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode().put("event",
                event.kind().event());
        node.setAll((com.fasterxml.jackson.databind.node.ObjectNode) JSON.valueToTree(event.detail()));
        return JSON.writeValueAsString(node);
    }

    /**
     * Every sink the settings name, those of {@link EventSinkProvider}s on the class path included; an event counts as
     * delivered once every one has taken it.
     */
    public static EventSink from(EventSettings settings, Clock clock) {
        List<EventSink> sinks = new ArrayList<>();
        for (EventSinkProvider provider : java.util.ServiceLoader.load(EventSinkProvider.class)) {
            sinks.addAll(provider.sinks(settings, clock));
        }
        if (settings.aws().any() && sinks.isEmpty()) {
            throw new meshgate.gateway.config.ConfigException("events: eventbridge_bus and sns_topic_arn need the "
                    + "meshgate-aws module on the class path (the meshgate command has it)");
        }
        if (settings.log()) {
            sinks.add(log());
        }
        settings.webhook().ifPresent(webhook -> sinks.add(webhook(webhook, clock)));
        if (!settings.command().isEmpty()) {
            sinks.add(command(settings.command(), Duration.ofMinutes(1)));
        }
        return all(sinks);
    }

    /** The sinks together: an event is delivered once each has taken it; one a sink refused is not offered to the next. */
    static EventSink all(List<EventSink> sinks) {
        return new EventSink() {
            @Override
            public void emit(MeshEvent event) throws Exception {
                for (EventSink sink : sinks) {
                    sink.emit(event);
                }
            }

            @Override
            public java.util.Map<MeshEvent, Exception> emitAll(List<MeshEvent> events) {
                java.util.Map<MeshEvent, Exception> failed = new java.util.LinkedHashMap<>();
                for (EventSink sink : sinks) {
                    List<MeshEvent> left = events.stream().filter(e -> !failed.containsKey(e)).toList();
                    if (!left.isEmpty()) {
                        failed.putAll(sink.emitAll(left));
                    }
                }
                return failed;
            }

            @Override
            public void close() {
                sinks.forEach(EventSink::close);
            }
        };
    }

    /** One JSON line per event on the {@code meshgate.events} logger. */
    public static EventSink log() {
        return event -> EVENTS.info(json(event));
    }

    /**
     * POSTs the event as JSON; any status but 2xx is a failure (and the event is tried again later), a redirect too:
     * the body and credentials go only where configured. User info in the URL is sent as basic authentication and
     * its query string as it is, but failures name only {@link WebhookSettings#redactedUrl}.
     */
    public static EventSink webhook(WebhookSettings settings, Clock clock) {
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(30, TimeUnit.SECONDS)
                .followRedirects(false).followSslRedirects(false).build();
        MediaType type = MediaType.get("application/json");
        URI url = settings.url();
        String target = url.getScheme() + "://" + url.getRawAuthority().substring(
                url.getRawUserInfo() == null ? 0 : url.getRawUserInfo().length() + 1)
                + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        Optional<String> basic = Optional.ofNullable(url.getUserInfo()).map(user -> "Basic "
                + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
        String shown = settings.redactedUrl();
        return event -> {
            byte[] body = json(event).getBytes(StandardCharsets.UTF_8);
            Request.Builder request = new Request.Builder().url(target).post(RequestBody.create(body, type));
            settings.authorization().map(Secret::reveal).or(() -> basic)
                    .ifPresent(value -> request.header("Authorization", value));
            settings.signingSecret().ifPresent(secret -> request.header(WebhookSignature.HEADER,
                    WebhookSignature.header(secret.reveal(), clock.instant().getEpochSecond(), body)));
            int status;
            try (Response response = http.newCall(request.build()).execute()) {
                status = response.code();
            } catch (IOException | RuntimeException e) {
                // Not chained: the cause's message, or its causes', could quote the whole URL.
                throw new IOException("webhook " + shown + " failed: " + e.getClass().getSimpleName() + ": "
                        + scrub(String.valueOf(e.getMessage()), url, target));
            }
            if (status < 200 || status > 299) {
                throw new IOException("webhook " + shown + " answered HTTP " + status);
            }
        };
    }

    /** A transport's message may quote the URL; what could hold credentials is cut out. */
    private static String scrub(String message, URI url, String target) {
        String scrubbed = message.replace(url.toString(), WebhookSettings.redact(url))
                .replace(target, WebhookSettings.redact(url));
        for (String part : new String[] {url.getRawUserInfo(), url.getUserInfo(), url.getRawQuery(), url.getQuery()}) {
            if (part != null && !part.isEmpty()) {
                scrubbed = scrubbed.replace(part, "***");
            }
        }
        return scrubbed;
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
