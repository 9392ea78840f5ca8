package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import meshgate.sandbox.fault.FaultKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A send whose first chunk has an unknown outcome looks for its message by local id. A local id reused by the caller
 * (a corrected file sent again under the same reference) must never make the client take an earlier message for
 * this one, nor send this one twice: what cannot be told apart is reported as indeterminate, and nothing more is sent.
 */
class LocalIdRecoveryTest {
    private static final String FIRST_CHUNK = "/messageexchange/X26ABC1/outbox";

    @TempDir
    static Path dir;
    static SandboxFixture fixture;
    static MeshClient sender;
    static MeshClient recipient;

    @BeforeAll
    static void start() {
        fixture = SandboxFixture.start(dir);
        sender = fixture.client("X26ABC1");
        recipient = fixture.client("X26ABC2");
    }

    @AfterAll
    static void stop() {
        sender.close();
        recipient.close();
        fixture.close();
    }

    @AfterEach
    void noFaultsLeft() {
        fixture.sandbox.faults().off();
    }

    @Test
    void reusedLocalIdWhoseFirstChunkWasCreatedThen503NeverReturnsTheEarlierMessage() {
        String earlier = sender.send(message("X26ABC2", "TEST_WORKFLOW", "ref-1", "daily.csv"), bytes("monday"))
                .messageId();
        fixture.sandbox.faults().failNext("POST", FIRST_CHUNK, FaultKind.HTTP_503_AFTER_PROCESSING);

        Throwable thrown = catchThrowable(() -> sender.send(message("X26ABC2", "TEST_WORKFLOW", "ref-1", "daily.csv"),
                bytes("monday, corrected")));

        assertThat(thrown).as("MESH cannot say which of two messages is this one")
                .isInstanceOfSatisfying(MeshIndeterminateException.class,
                        e -> assertThat(e.isRetryable()).isTrue());
        List<String> delivered = inboxWithLocalId("ref-1");
        assertThat(delivered).as("the earlier message and exactly one new one").hasSize(2).contains(earlier);
        assertThat(content(delivered.stream().filter(id -> !id.equals(earlier)).findFirst().orElseThrow()))
                .isEqualTo("monday, corrected");
    }

    @Test
    void reusedLocalIdWhoseFirstChunkWasRefusedSendsTheNewMessage() {
        String earlier = sender.send(message("X26ABC2", "TEST_WORKFLOW", "ref-2", "daily.csv"), bytes("tuesday"))
                .messageId();
        fixture.sandbox.faults().failNext("POST", FIRST_CHUNK, FaultKind.HTTP_503);

        SendResult result = sender.send(message("X26ABC2", "TEST_WORKFLOW", "ref-2", "daily.csv"),
                bytes("tuesday, corrected"));

        assertThat(result.messageId()).isNotEqualTo(earlier);
        assertThat(inboxWithLocalId("ref-2")).containsExactlyInAnyOrder(earlier, result.messageId());
        assertThat(content(result.messageId())).isEqualTo("tuesday, corrected");
    }

    enum Difference { RECIPIENT, WORKFLOW, FILE_NAME }

    @ParameterizedTest
    @EnumSource(Difference.class)
    void earlierMessageWithAnotherRecipientWorkflowOrFileNameIsNotTaken(Difference difference) throws Exception {
        String localId = "ref-differs-" + difference;
        OutboundMessage earlierMessage = switch (difference) {
            case RECIPIENT -> message("X26ABC3", "TEST_WORKFLOW", localId, "daily.csv");
            case WORKFLOW -> message("X26ABC2", "TEST_WORKFLOW2", localId, "daily.csv");
            case FILE_NAME -> message("X26ABC2", "TEST_WORKFLOW", localId, "weekly.csv");
        };
        String earlier = sender.send(earlierMessage, bytes("earlier")).messageId();

        SendResult result = resumeWithoutMessageId(message("X26ABC2", "TEST_WORKFLOW", localId, "daily.csv"),
                "this one", Instant.now());

        assertThat(result.messageId()).isNotEqualTo(earlier);
        assertThat(content(result.messageId())).isEqualTo("this one");
        assertThat(inboxWithLocalId(localId)).contains(result.messageId()).doesNotHaveDuplicates();
    }

    @Test
    void twoMatchingCandidatesAreIndeterminateAndNothingIsSent() throws Exception {
        sender.send(message("X26ABC2", "TEST_WORKFLOW", "ref-3", "daily.csv"), bytes("one"));
        sender.send(message("X26ABC2", "TEST_WORKFLOW", "ref-3", "daily.csv"), bytes("two"));

        Throwable thrown = catchThrowable(() -> resumeWithoutMessageId(
                message("X26ABC2", "TEST_WORKFLOW", "ref-3", "daily.csv"), "three", Instant.now()));

        assertThat(thrown).isInstanceOfSatisfying(MeshIndeterminateException.class,
                e -> assertThat(e.isRetryable()).isTrue());
        assertThat(inboxWithLocalId("ref-3")).hasSize(2);
    }

    @Test
    void matchingCandidateOlderThanTheSendIsIndeterminateRatherThanSentAgain() throws Exception {
        sender.send(message("X26ABC2", "TEST_WORKFLOW", "ref-4", "daily.csv"), bytes("an hour ago"));

        Throwable thrown = catchThrowable(() -> resumeWithoutMessageId(
                message("X26ABC2", "TEST_WORKFLOW", "ref-4", "daily.csv"), "now",
                Instant.now().plus(Duration.ofHours(1))));

        assertThat(thrown).as("only the clock tells them apart, and clocks can be wrong")
                .isInstanceOf(MeshIndeterminateException.class);
        assertThat(inboxWithLocalId("ref-4")).hasSize(1);
    }

    @Test
    void clientClockFarAheadOfMeshStillFindsTheMessageItCreated() {
        try (MeshClient ahead = fixture.clientBuilder("X26ABC1")
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1))).build()) {
            fixture.sandbox.faults().failNext("POST", FIRST_CHUNK, FaultKind.HTTP_503_AFTER_PROCESSING);

            SendResult result = ahead.send(message("X26ABC2", "TEST_WORKFLOW", "ref-5", "daily.csv"),
                    bytes("skewed"));

            assertThat(inboxWithLocalId("ref-5")).containsExactly(result.messageId());
            assertThat(content(result.messageId())).isEqualTo("skewed");
        }
    }

    @Test
    void messageWithANonAsciiFileNameIsFoundAsItselfNotSentAgain() {
        fixture.sandbox.faults().failNext("POST", FIRST_CHUNK, FaultKind.HTTP_503_AFTER_PROCESSING);

        SendResult result = sender.send(message("X26ABC2", "TEST_WORKFLOW", "ref-6", "données-été.csv"),
                bytes("accents"));

        assertThat(inboxWithLocalId("ref-6")).containsExactly(result.messageId());
    }

    @Test
    void findSentWithoutAChunkCountTakesOnlyTheMatchingMessageUploadedSinceTheSendBegan() {
        Instant before = Instant.now().minus(Duration.ofMinutes(1));
        OutboundMessage sent = message("X26ABC2", "TEST_WORKFLOW", "ref-find", "find.csv");
        String id = sender.send(sent, bytes("found")).messageId();

        assertThat(sender.findSent(sent, OptionalInt.empty(), before)).contains(id);
        assertThat(sender.findSent(message("X26ABC2", "TEST_WORKFLOW2", "ref-find", "find.csv"), OptionalInt.empty(),
                before)).as("the only message with the local id has another workflow").isEmpty();
        assertThat(sender.findSent(message("X26ABC2", "TEST_WORKFLOW", "ref-none", "find.csv"), OptionalInt.empty(),
                before)).isEmpty();
        assertThat(catchThrowable(() -> sender.findSent(sent, OptionalInt.empty(),
                Instant.now().plus(Duration.ofHours(1)))))
                .as("only the upload time tells it from a send that began later")
                .isInstanceOf(MeshIndeterminateException.class);
    }

    private static SendResult resumeWithoutMessageId(OutboundMessage message, String text, Instant startedAt)
            throws Exception {
        Path file = fixture.write(message.localId().orElseThrow() + ".txt", bytes(text));
        return sender.resume(message, MessageContent.of(file),
                SendProgress.recorded(null, 0, startedAt, SandboxFixture.CHUNK_SIZE), SendListener.NONE);
    }

    private static OutboundMessage message(String to, String workflow, String localId, String fileName) {
        return OutboundMessage.to(to, workflow).localId(localId).fileName(fileName).build();
    }

    private static List<String> inboxWithLocalId(String localId) {
        return recipient.inbox().stream()
                .filter(id -> recipient.headers(id).localId().filter(localId::equals).isPresent())
                .toList();
    }

    private static String content(String messageId) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        recipient.download(messageId, out, true);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
