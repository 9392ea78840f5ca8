package meshgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import meshgate.client.MessageContent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalFolderStoreTest {
    @TempDir
    Path root;

    LocalFolderStore store;

    @BeforeEach
    void openStore() throws IOException {
        store = new LocalFolderStore(root.resolve("store"));
    }

    @Test
    void roundTripsContentAndMetadata() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("mex-to", "X26ABC2");
        metadata.put("mex-subject", "my super subject $£%");
        metadata.put("mex-localid", "ünïcødé ✓");

        try (ObjectWriter writer = store.create("inbound/X26ABC1/20240101-abc.dat")) {
            writer.stream().write("hello, mesh".getBytes(StandardCharsets.UTF_8));
            writer.commit(metadata);
        }

        assertThat(text("inbound/X26ABC1/20240101-abc.dat")).isEqualTo("hello, mesh");
        assertThat(store.metadata("inbound/X26ABC1/20240101-abc.dat")).containsExactlyEntriesOf(metadata);
        ObjectInfo info = store.stat("inbound/X26ABC1/20240101-abc.dat").orElseThrow();
        assertThat(info.size()).isEqualTo(11);
        assertThat(info.name()).isEqualTo("20240101-abc.dat");
        assertThat(Files.exists(root.resolve("store/inbound/X26ABC1/20240101-abc.dat.meta.json"))).isTrue();
    }

    @Test
    void objectWithoutMetadataHasEmptyMetadataAndNoSidecar() throws IOException {
        store.putText("outbound/plain.txt", "plain", Map.of());

        assertThat(store.metadata("outbound/plain.txt")).isEmpty();
        assertThat(Files.exists(root.resolve("store/outbound/plain.txt.meta.json"))).isFalse();
    }

    @Test
    void readsHandWrittenSidecarWithNonStringValuesAsText() throws IOException {
        Path outbound = Files.createDirectories(root.resolve("store/outbound"));
        Files.writeString(outbound.resolve("x.csv"), "a,b\n");
        Files.writeString(outbound.resolve("x.csv.meta.json"),
                "{\"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"WF\", \"mex-chunk-range\": 3, \"compress\": true}");

        assertThat(store.metadata("outbound/x.csv")).containsExactly(
                Map.entry("mex-to", "X26ABC2"),
                Map.entry("mex-workflowid", "WF"),
                Map.entry("mex-chunk-range", "3"),
                Map.entry("compress", "true"));
    }

    @Test
    void listsObjectsAtAnyDepthInKeyOrderWithoutInternalFiles() throws IOException {
        store.putText("outbound/b.csv", "b", Map.of("mex-to", "X26ABC2"));
        store.putText("outbound/a.csv", "a", Map.of());
        store.putText("outbound/deeper/c.csv", "c", Map.of());
        store.putText("inbound/other.dat", "other", Map.of());
        Path outbound = root.resolve("store/outbound");
        Files.writeString(outbound.resolve(".a.csv.1234.part"), "in progress");
        Files.writeString(outbound.resolve(".hidden"), "hidden");
        Files.createDirectories(outbound.resolve(".cache"));
        Files.writeString(outbound.resolve(".cache/inside.csv"), "hidden folder");
        Files.createDirectories(outbound.resolve("empty"));

        assertThat(store.list("outbound/")).extracting(ObjectInfo::key)
                .containsExactly("outbound/a.csv", "outbound/b.csv", "outbound/deeper/c.csv");
        assertThat(store.list("outbound/b")).extracting(ObjectInfo::key).containsExactly("outbound/b.csv");
        assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly(
                "inbound/other.dat", "outbound/a.csv", "outbound/b.csv", "outbound/deeper/c.csv");
        assertThat(store.list("outbound/")).first().satisfies(info -> assertThat(info.size()).isEqualTo(1));
    }

    @Test
    void listingToleratesFilesVanishingDuringTheWalk() throws Exception {
        Path outbound = Files.createDirectories(root.resolve("store/outbound"));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread churn = new Thread(() -> {
            for (int i = 0; running.get(); i++) {
                try {
                    Path folder = Files.createDirectories(outbound.resolve("d" + i % 5));
                    Files.writeString(folder.resolve("f" + i % 7 + ".csv"), "x");
                    store.delete("outbound/d" + (i + 3) % 5 + "/f" + (i + 2) % 7 + ".csv");
                    if (i % 11 == 0) {
                        deleteTree(outbound.resolve("d" + (i + 1) % 5));
                    }
                } catch (IOException e) {
                    // a folder removed under us; the churn goes on
                }
            }
        });
        churn.start();
        try {
            for (int i = 0; i < 200; i++) {
                assertThat(store.list("outbound/")).allSatisfy(info -> assertThat(info.key()).endsWith(".csv"));
            }
        } finally {
            running.set(false);
            churn.join();
        }
    }

    @Test
    void listingAMissingFolderIsEmpty() throws IOException {
        assertThat(store.list("nowhere/")).isEmpty();
        assertThat(store.list("nowhere/deeper/x")).isEmpty();
    }

    @Test
    void abortedWriterLeavesNothing() throws IOException {
        try (ObjectWriter writer = store.create("outbound/partial.csv")) {
            writer.stream().write(new byte[100_000]);
        }

        assertThat(store.stat("outbound/partial.csv")).isEmpty();
        assertThat(store.list("outbound/")).isEmpty();
        try (Stream<Path> files = Files.list(root.resolve("store/outbound"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void nothingIsVisibleUntilCommit() throws IOException {
        try (ObjectWriter writer = store.create("outbound/slow.csv")) {
            writer.stream().write(new byte[100_000]);
            writer.stream().flush();

            assertThat(store.stat("outbound/slow.csv")).isEmpty();
            assertThat(store.list("outbound/")).isEmpty();

            writer.commit(Map.of("mex-to", "X26ABC2"));
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
        try (ObjectWriter writer = store.create("outbound/closed.csv")) {
            try (var out = writer.stream()) {
                out.write("closed early".getBytes(StandardCharsets.UTF_8));
            }
            writer.commit(Map.of());
        }

        assertThat(text("outbound/closed.csv")).isEqualTo("closed early");
    }

    @Test
    void moveCarriesMetadataAndReplacesTheTarget() throws IOException {
        store.putText("outbound/x.csv", "payload", Map.of("mex-to", "X26ABC2"));
        store.putText("sent/2024/x.csv", "older", Map.of("mex-to", "OLD"));

        store.move("outbound/x.csv", "sent/2024/x.csv");

        assertThat(store.stat("outbound/x.csv")).isEmpty();
        assertThat(Files.exists(root.resolve("store/outbound/x.csv.meta.json"))).isFalse();
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
        try (Stream<Path> files = Files.list(root.resolve("store/outbound"))) {
            assertThat(files).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "a/../../x", "/abs", "a//b", "a/", "a\u0000b", "a\\b", "a\nb", "./a", "a/.",
            ".hidden", "outbound/x.csv.meta.json"})
    void rejectsKeysThatCouldEscapeOrCollide(String key) {
        assertThatThrownBy(() -> store.create(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stat(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.move("outbound/x", key)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectedKeyIsNamedInTheMessage() {
        assertThatThrownBy(() -> store.stat("../secret")).hasMessageContaining("../secret");
        assertThatThrownBy(() -> store.list("../")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[\"mex-to\", \"X\"]", "\"text\"", "", "{\"mex-to\": {\"nested\": 1}}"})
    void unreadableSidecarRaisesMetadataUnreadable(String sidecar) throws IOException {
        Path outbound = Files.createDirectories(root.resolve("store/outbound"));
        Files.writeString(outbound.resolve("x.csv"), "a,b\n");
        Files.writeString(outbound.resolve("x.csv.meta.json"), sidecar);

        assertThatThrownBy(() -> store.metadata("outbound/x.csv"))
                .isInstanceOf(MetadataUnreadableException.class)
                .hasMessageContaining("outbound/x.csv.meta.json");
    }

    @Test
    void metadataOfAMissingObjectFails() {
        assertThatThrownBy(() -> store.metadata("outbound/none.csv")).isInstanceOf(NoSuchFileException.class);
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
    }

    @Test
    void localFolderIsTheDirectoryOfThePrefix() {
        Path base = root.resolve("store").toAbsolutePath().normalize();
        assertThat(store.localFolder("outbound/")).contains(base.resolve("outbound"));
        assertThat(store.localFolder("outbound/sub/x")).contains(base.resolve("outbound/sub"));
        assertThat(store.localFolder("")).contains(base);
    }

    @Test
    void listsNoInternalFilesLeftByMetadataWrites() throws IOException {
        for (int i = 0; i < 20; i++) {
            store.putText("inbound/m" + i + ".dat", "x", Map.of("mex-messageid", "m" + i));
        }

        List<ObjectInfo> listed = store.list("inbound/");

        assertThat(listed).hasSize(20);
        try (Stream<Path> files = Files.list(root.resolve("store/inbound"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private String text(String key) throws IOException {
        try (InputStream in = store.content(key).open(0)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
