package meshgate.aws.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import meshgate.gateway.events.EventDetail;
import meshgate.gateway.events.EventKind;
import meshgate.gateway.events.MeshEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The EventBridge sink, driven by the real AWS SDK against {@link AwsEventsTestServer} (a stand-in for EventBridge, not
 * AWS): batches of at most 10 entries, and entries refused one by one put again without the others.
 */
class EventBridgeSinkTest {
    AwsEventsTestServer server;
    EventBridgeSink sink;

    @BeforeEach
    void start() throws Exception {
        server = AwsEventsTestServer.start();
        sink = new EventBridgeSink(EventBridgeClient.builder().endpointOverride(server.endpoint())
                .region(Region.EU_WEST_2).httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build(), "mesh-events", "meshgate");
    }

    @AfterEach
    void stop() {
        sink.close();
        server.close();
    }

    @Test
    void putsTwentyFiveEventsInBatchesOfAtMostTenAndPutsEntriesRefusedOneByOneAgainAlone() {
        List<MeshEvent> events = IntStream.range(0, 25).mapToObj(EventBridgeSinkTest::event).toList();
        server.refuseEntries(3);

        Map<MeshEvent, Exception> failed = sink.emitAll(events);

        assertThat(failed).isEmpty();
        assertThat(server.batchSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 10));
        assertThat(server.batchSizes()).as("3 of the first 10 refused and put again alone, then 10 and 5")
                .containsExactly(10, 3, 10, 5);
        List<String> ids = new ArrayList<>(server.entries().stream().map(e -> e.detail().path("message_id").asText())
                .toList());
        assertThat(ids).as("each event once").containsExactlyInAnyOrderElementsOf(
                events.stream().map(e -> e.detail().messageId()).toList());
        assertThat(server.entries()).allSatisfy(entry -> {
            assertThat(entry.eventBusName()).isEqualTo("mesh-events");
            assertThat(entry.source()).isEqualTo("meshgate");
            assertThat(entry.detailType()).isEqualTo("MESH Message Sent");
        });
    }

    @Test
    void entriesRefusedEveryTimeAreReportedFailedAndTheOthersDelivered() {
        List<MeshEvent> events = IntStream.range(0, 4).mapToObj(EventBridgeSinkTest::event).toList();
        server.refuseEveryEntryOf("MSG0");

        Map<MeshEvent, Exception> failed = sink.emitAll(events);

        assertThat(failed).containsOnlyKeys(events.get(0));
        assertThat(failed.get(events.get(0))).hasMessageContaining("InternalFailure");
        assertThat(server.entries()).extracting(e -> e.detail().path("message_id").asText())
                .containsExactly("MSG1", "MSG2", "MSG3");
    }

    @Test
    void everyEventFailsWhileEventBridgeCannotBeReached() {
        List<MeshEvent> events = IntStream.range(0, 12).mapToObj(EventBridgeSinkTest::event).toList();
        server.down();

        assertThat(sink.emitAll(events)).containsOnlyKeys(events);
    }

    private static MeshEvent event(int n) {
        return new MeshEvent(EventKind.MESSAGE_SENT, new EventDetail("X26ABC1", "MSG" + n, "X26ABC1", "X26ABC2",
                "WF", "DATA", "bucket", "outbound/" + n + ".csv", n, "accepted", "local-" + n,
                "2026-11-30T10:00:00.123Z", null, null, null, null, null, null, null));
    }
}
