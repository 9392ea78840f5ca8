package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.ObjectInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thousand small files dropped at once are all delivered, each stored once, and tracked to acknowledged. */
class ManyFilesTest {
    private static final int FILES = 1000;

    @TempDir
    static Path dir;
    static GatewayFixture fixture;

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void deliversAThousandFilesDroppedAtOnce() throws Exception {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        Map<String, String> contentByLocalId = new HashMap<>();
        Random random = new Random(1000);
        for (int i = 0; i < FILES; i++) {
            String localId = "many-" + i;
            String content = "record " + i + " " + Long.toHexString(random.nextLong()).repeat(1 + random.nextInt(40));
            contentByLocalId.put(localId, content);
            Files.writeString(staging.resolve(localId + ".csv"), content);
            Files.writeString(staging.resolve(localId + ".csv.meta.json"), "{\"mex-from\": \"X26ABC1\", "
                    + "\"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\", \"mex-localid\": \""
                    + localId + "\"}");
        }
        Gateway sender = fixture.gateway("X26ABC1", "send_concurrency: 8");
        Gateway recipient = fixture.gateway("X26ABC2", "");
        // All at once: one rename of the whole folder into outbound/.
        Files.move(staging, fixture.root("X26ABC1").resolve("outbound").resolve("batch"));

        Progress.await(FILES + " files stored and acknowledged", Duration.ofSeconds(60),
                () -> recipient.ledger().inbound(InboundState.ACKNOWLEDGED).size(),
                () -> recipient.ledger().inbound(InboundState.ACKNOWLEDGED).size() >= FILES);

        List<ObjectInfo> stored = recipient.store().list("inbound/X26ABC2/");
        assertThat(stored).hasSize(FILES);
        Map<String, Integer> seen = new HashMap<>();
        for (ObjectInfo object : stored) {
            String localId = recipient.store().metadata(object.key()).get("mex-localid");
            seen.merge(localId, 1, Integer::sum);
            assertThat(Files.readString(fixture.root("X26ABC2").resolve(object.key()), StandardCharsets.UTF_8))
                    .isEqualTo(contentByLocalId.get(localId));
        }
        assertThat(seen).hasSize(FILES).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        eventually(Duration.ofSeconds(30), "every sent file archived", () -> sender.ledger()
                .outbound(OutboundState.ACCEPTED).stream().filter(r -> r.sentKey() != null).count() == FILES);
        assertThat(fixture.root("X26ABC1").resolve("outbound/batch")).isEmptyDirectory();

        sender.trackNow();
        assertThat(sender.ledger().outbound(OutboundState.ACKNOWLEDGED)).hasSize(FILES);
    }
}
