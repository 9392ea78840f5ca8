package meshgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import meshgate.client.MessageContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link ObjectStore} promises, proved against each implementation on real storage. A subclass opens its
 * store and adds the cases only it has (sidecar files for a local folder; headers, encoding and parts for S3).
 */
abstract class ObjectStoreContractTest {
    ObjectStore store;

    /** Opens the store under test on new, empty storage. */
    abstract ObjectStore openStore() throws Exception;

    /**
     * Puts files of the store's own making behind its back, where {@link ObjectStore#list} must not show them:
     * writes in progress, hidden files, metadata sidecars. Objects the test wrote must not be touched.
     */
    abstract void leaveInternalFiles() throws IOException;

    /** Every file (or object) the storage holds, store-internal ones included, by its path from the store's root. */
    abstract List<String> storedFiles() throws IOException;

    @BeforeEach
    void openStoreUnderTest() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Test
    void objectWithoutMetadataHasEmptyMetadata() throws IOException {
        store.putText("outbound/plain.txt", "plain", Map.of());
        try (ObjectWriter writer = store.create("outbound/written.txt", Map.of())) {
            writer.stream().write('x');
            writer.commit();
        }

        assertThat(store.metadata("outbound/plain.txt")).isEmpty();
        assertThat(store.metadata("outbound/written.txt")).isEmpty();
        assertThat(storedFiles()).containsExactly("outbound/plain.txt", "outbound/written.txt");
    }

    @Test
    void tellsAnObjectRewrittenAtTheSameSizeFromTheVersionBefore() throws IOException {
        store.putText("outbound/daily.csv", "monday", Map.of());
        ObjectInfo listed = store.list("outbound/").get(0);
        ObjectInfo before = store.stat("outbound/daily.csv").orElseThrow();

        store.putText("outbound/daily.csv", "friday", Map.of());
        ObjectInfo after = store.stat("outbound/daily.csv").orElseThrow();

        assertThat(listed.version()).as("listing and stat tell the same version alike").isNotNull()
                .isEqualTo(before.version());
        assertThat(listed.sameVersionAs(before)).isTrue();
        assertThat(after.size()).isEqualTo(before.size());
        assertThat(after.version()).isNotEqualTo(before.version());
        assertThat(after.sameVersionAs(before)).as("same size, perhaps the same millisecond: still another version")
                .isFalse();
    }

    @Test
    void listsObjectsAtAnyDepthInKeyOrderWithoutInternalFiles() throws IOException {
        store.putText("outbound/b.csv", "b", Map.of("mex-to", "X26ABC2"));
        store.putText("outbound/a.csv", "a", Map.of());
        store.putText("outbound/deeper/c.csv", "c", Map.of());
        store.putText("inbound/other.dat", "other", Map.of());
        leaveInternalFiles();

        assertThat(store.list("outbound/")).extracting(ObjectInfo::key)
                .containsExactly("outbound/a.csv", "outbound/b.csv", "outbound/deeper/c.csv");
        assertThat(store.list("outbound/b")).extracting(ObjectInfo::key).containsExactly("outbound/b.csv");
        assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly(
                "inbound/other.dat", "outbound/a.csv", "outbound/b.csv", "outbound/deeper/c.csv");
        assertThat(store.list("outbound/")).first().satisfies(info -> {
            assertThat(info.size()).isEqualTo(1);
            assertThat(info.lastModified()).isEqualTo(store.stat("outbound/a.csv").orElseThrow().lastModified());
        });
    }

    @Test
    void listingAMissingPrefixIsEmpty() throws IOException {
        assertThat(store.list("nowhere/")).isEmpty();
        assertThat(store.list("nowhere/deeper/x")).isEmpty();
    }

    @Test
    void abortedWriterLeavesNothing() throws IOException {
        try (ObjectWriter writer = store.create("outbound/partial.csv", Map.of())) {
            writer.stream().write(new byte[100_000]);
        }

        assertThat(store.stat("outbound/partial.csv")).isEmpty();
        assertThat(store.list("outbound/")).isEmpty();
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void nothingIsVisibleUntilCommit() throws IOException {
        try (ObjectWriter writer = store.create("outbound/slow.csv", Map.of("mex-to", "X26ABC2"))) {
            writer.stream().write(new byte[100_000]);
            writer.stream().flush();

            assertThat(store.stat("outbound/slow.csv")).isEmpty();
            assertThat(store.list("outbound/")).isEmpty();

            writer.commit();
        }
        assertThat(store.stat("outbound/slow.csv")).hasValueSatisfying(info -> assertThat(info.size())
                .isEqualTo(100_000));
    }

    @Test
    void commitReplacesAnExistingObjectAndItsMetadata() throws IOException {
        store.putText("inbound/m.dat", "old content that is longer", Map.of("mex-subject", "old"));
        store.putText("inbound/m.dat", "new", Map.of("mex-subject", "new"));

        assertThat(text("inbound/m.dat")).isEqualTo("new");
        assertThat(store.metadata("inbound/m.dat")).containsExactly(Map.entry("mex-subject", "new"));

        store.putText("inbound/m.dat", "newer", Map.of());
        assertThat(store.metadata("inbound/m.dat")).isEmpty();
    }

    @Test
    void closingTheStreamBeforeCommitStillCommits() throws IOException {
        try (ObjectWriter writer = store.create("outbound/closed.csv", Map.of())) {
            try (OutputStream out = writer.stream()) {
                out.write("closed early".getBytes(StandardCharsets.UTF_8));
            }
            writer.commit();
        }

        assertThat(text("outbound/closed.csv")).isEqualTo("closed early");
    }

    @Test
    void moveCarriesMetadataAndReplacesTheTarget() throws IOException {
        store.putText("outbound/x.csv", "payload", Map.of("mex-to", "X26ABC2"));
        store.putText("sent/2024/x.csv", "older", Map.of("mex-to", "OLD"));

        store.move("outbound/x.csv", "sent/2024/x.csv");

        assertThat(store.stat("outbound/x.csv")).isEmpty();
        assertThat(storedFiles()).noneMatch(file -> file.startsWith("outbound/"));
        assertThat(text("sent/2024/x.csv")).isEqualTo("payload");
        assertThat(store.metadata("sent/2024/x.csv")).containsExactly(Map.entry("mex-to", "X26ABC2"));
    }

    @Test
    void moveWithoutMetadataDropsTheTargetsStaleMetadata() throws IOException {
        store.putText("outbound/x.csv", "payload", Map.of());
        store.putText("failed/x.csv", "older", Map.of("mex-to", "OLD"));

        store.move("outbound/x.csv", "failed/x.csv");

        assertThat(store.metadata("failed/x.csv")).isEmpty();
    }

    @Test
    void createNewRefusesATakenKeyBeforeAnythingIsWrittenAndTheContentGoesUnderAnotherKey() throws IOException {
        store.putText("inbound/X26ABC1/export.csv", "first", Map.of("mex-messageid", "ID1"));

        assertThatThrownBy(() -> store.createNew("inbound/X26ABC1/export.csv", Map.of("mex-messageid", "ID2")))
                .isInstanceOf(FileAlreadyExistsException.class);
        try (ObjectWriter writer = store.createNew("inbound/X26ABC1/ID2_export.csv", Map.of("mex-messageid", "ID2"))) {
            writer.stream().write("second".getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }

        assertThat(text("inbound/X26ABC1/export.csv")).isEqualTo("first");
        assertThat(store.metadata("inbound/X26ABC1/export.csv")).containsExactly(Map.entry("mex-messageid", "ID1"));
        assertThat(text("inbound/X26ABC1/ID2_export.csv")).isEqualTo("second");
        assertThat(store.metadata("inbound/X26ABC1/ID2_export.csv")).containsExactly(Map.entry("mex-messageid", "ID2"));
        assertThat(storedFiles()).filteredOn(file -> !file.endsWith(".meta.json")).containsExactly(
                "inbound/X26ABC1/ID2_export.csv", "inbound/X26ABC1/export.csv");
    }

    @Test
    void aKeyTakenWhileWritingIsRefusedAtCommitAndNothingOfTheWriterIsLeft() throws IOException {
        try (ObjectWriter writer = store.createNew("inbound/X26ABC1/export.csv", Map.of("mex-messageid", "ID2"))) {
            writer.stream().write(new byte[100_000]);
            store.putText("inbound/X26ABC1/export.csv", "first", Map.of("mex-messageid", "ID1"));

            assertThatThrownBy(writer::commit).isInstanceOf(FileAlreadyExistsException.class);
            assertThatThrownBy(writer::commit).as("a writer commits once")
                    .isInstanceOfAny(IOException.class, IllegalStateException.class);
        }

        assertThat(text("inbound/X26ABC1/export.csv")).isEqualTo("first");
        assertThat(store.metadata("inbound/X26ABC1/export.csv")).containsExactly(Map.entry("mex-messageid", "ID1"));
        assertThat(storedFiles()).filteredOn(file -> !file.endsWith(".meta.json"))
                .containsExactly("inbound/X26ABC1/export.csv");
    }

    @Test
    void createNewOfAFreeKeyCommitsOnceAndAWriterNeverCommittedLeavesNothing() throws IOException {
        try (ObjectWriter writer = store.createNew("inbound/X26ABC1/a.csv", Map.of())) {
            writer.stream().write('a');
            writer.commit();
            assertThatThrownBy(writer::commit).as("a writer commits once")
                    .isInstanceOfAny(IOException.class, IllegalStateException.class);
        }
        try (ObjectWriter writer = store.createNew("inbound/X26ABC1/b.csv", Map.of("mex-to", "X"))) {
            writer.stream().write('x');
        }

        assertThat(text("inbound/X26ABC1/a.csv")).isEqualTo("a");
        assertThat(store.stat("inbound/X26ABC1/b.csv")).isEmpty();
        assertThat(storedFiles()).containsExactly("inbound/X26ABC1/a.csv");
    }

    @Test
    void moveNewNeverReplacesTheTargetAndLeavesBothAsTheyWere() throws IOException {
        store.putText("outbound/daily.csv", "tuesday", Map.of("mex-to", "X26ABC2"));
        store.putText("failed/daily.csv", "monday", Map.of("mex-to", "X26ABC3"));

        assertThatThrownBy(() -> store.moveNew("outbound/daily.csv", "failed/daily.csv"))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(text("outbound/daily.csv")).isEqualTo("tuesday");
        assertThat(store.metadata("outbound/daily.csv")).containsExactly(Map.entry("mex-to", "X26ABC2"));
        assertThat(text("failed/daily.csv")).isEqualTo("monday");
        assertThat(store.metadata("failed/daily.csv")).containsExactly(Map.entry("mex-to", "X26ABC3"));

        store.moveNew("outbound/daily.csv", "failed/daily.2.csv");
        assertThat(store.stat("outbound/daily.csv")).isEmpty();
        assertThat(text("failed/daily.2.csv")).isEqualTo("tuesday");
        assertThat(store.metadata("failed/daily.2.csv")).containsExactly(Map.entry("mex-to", "X26ABC2"));
        assertThat(storedFiles()).noneMatch(file -> file.startsWith("outbound/"));
        assertThatThrownBy(() -> store.moveNew("outbound/none.csv", "failed/none.csv"))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void movingAMissingObjectFails() {
        assertThatThrownBy(() -> store.move("outbound/none.csv", "sent/none.csv"))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void deleteRemovesObjectAndMetadataAndIgnoresAbsence() throws IOException {
        store.putText("outbound/x.csv", "payload", Map.of("mex-to", "X26ABC2"));

        store.delete("outbound/x.csv");
        store.delete("outbound/x.csv");

        assertThat(store.stat("outbound/x.csv")).isEmpty();
        assertThat(storedFiles()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "a/../../x", "/abs", "a//b", "a/", "a\u0000b", "a\\b", "a\nb", "./a", "a/.",
            ".hidden", "outbound/.x.csv.1234.upload", "outbound/x.csv.meta.json"})
    void rejectsKeysThatCouldEscapeOrCollide(String key) {
        assertThatThrownBy(() -> store.create(key, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.createNew(key, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stat(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.metadata(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.content(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putText(key, "x", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.move("outbound/x", key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.move(key, "outbound/x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectedKeyIsNamedInTheMessage() {
        assertThatThrownBy(() -> store.stat("../secret")).hasMessageContaining("../secret");
        assertThatThrownBy(() -> store.list("../")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("/abs/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metadataOfAMissingObjectFails() {
        assertThatThrownBy(() -> store.metadata("outbound/none.csv")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.content("outbound/none.csv")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void contentReadsFromAnOffset() throws IOException {
        store.putText("inbound/m.dat", "0123456789", Map.of());

        MessageContent content = store.content("inbound/m.dat");

        assertThat(content.length()).isEqualTo(10);
        try (InputStream in = content.open(4)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("456789");
        }
        try (InputStream in = content.open(0)) {
            assertThat(in.readAllBytes()).hasSize(10);
        }
        try (InputStream in = content.open(10)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    String text(String key) throws IOException {
        try (InputStream in = store.content(key).open(0)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
