package meshgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The object store contract on a local folder, and what only a folder has: metadata in sidecar files (written by
 * hand too), files changing under a listing, a folder to watch.
 */
class LocalFolderStoreTest extends ObjectStoreContractTest {
    @TempDir
    Path root;

    @Override
    LocalFolderStore openStore() throws IOException {
        return new LocalFolderStore(root.resolve("store"));
    }

    @Test
    void receivedFilesTheirSidecarsAndFoldersAreOwnerOnlyByDefault() throws IOException {
        writeObjectWithSidecar(store, "inbound/X26ABC1/deep/ID1.dat");
        store.move("inbound/X26ABC1/deep/ID1.dat", "archive/X26ABC1/ID1.dat");
        store.moveNew("archive/X26ABC1/ID1.dat", "kept/X26ABC1/ID1.dat");

        Path base = root.resolve("store");
        assertThat(mode(base.resolve("inbound/X26ABC1/deep/ID2.dat"))).isEqualTo("rw-------");
        assertThat(mode(base.resolve("inbound/X26ABC1/deep/ID2.dat.meta.json"))).isEqualTo("rw-------");
        assertThat(mode(base.resolve("kept/X26ABC1/ID1.dat.meta.json"))).isEqualTo("rw-------");
        for (String folder : List.of("inbound", "inbound/X26ABC1", "inbound/X26ABC1/deep", "archive/X26ABC1",
                "kept/X26ABC1")) {
            assertThat(mode(base.resolve(folder))).as(folder).isEqualTo("rwx------");
        }
    }

    @Test
    void aSharedGroupCanBeGivenReadAccess() throws IOException {
        try (LocalFolderStore shared = new LocalFolderStore(root.resolve("shared"), FileAccess.GROUP_READABLE)) {
            writeObjectWithSidecar(shared, "inbound/X26ABC1/ID1.dat");
        }
        Path base = root.resolve("shared");
        assertThat(mode(base.resolve("inbound/X26ABC1/ID2.dat"))).isEqualTo("rw-r-----");
        assertThat(mode(base.resolve("inbound/X26ABC1/ID2.dat.meta.json"))).isEqualTo("rw-r-----");
        assertThat(mode(base.resolve("inbound/X26ABC1"))).isEqualTo("rwxr-x---");
    }

    /** {@code key} committed with a sidecar, and a sibling ID2.dat committed without replacing, with one. */
    private static void writeObjectWithSidecar(ObjectStore target, String key) throws IOException {
        target.putText(key, "patient data", Map.of("mex-from", "X26ABC2"));
        try (ObjectWriter writer = target.createNew(key.replace("ID1", "ID2"), Map.of("mex-from", "X26ABC2"))) {
            writer.stream().write("more".getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void ofWritersRacingForOneKeyExactlyOneWinsAndTheRestWriteTheirContentAgainUnderAnotherKey() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch ready = new CountDownLatch(writers);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                String id = "ID" + i;
                results.add(pool.submit(() -> {
                    Map<String, String> metadata = Map.of("mex-messageid", id);
                    try (ObjectWriter writer = store.createNew("inbound/X26ABC1/export.csv", metadata)) {
                        writer.stream().write(id.getBytes(StandardCharsets.UTF_8));
                        ready.countDown();
                        ready.await();
                        writer.commit();
                        return "inbound/X26ABC1/export.csv";
                    } catch (FileAlreadyExistsException taken) {
                        String other = "inbound/X26ABC1/" + id + "_export.csv";
                        try (ObjectWriter writer = store.createNew(other, metadata)) {
                            writer.stream().write(id.getBytes(StandardCharsets.UTF_8));
                            writer.commit();
                        }
                        return other;
                    }
                }));
            }
            Map<String, String> contentByKey = new java.util.TreeMap<>();
            for (Future<String> result : results) {
                String key = result.get(30, TimeUnit.SECONDS);
                contentByKey.put(key, text(key));
                assertThat(store.metadata(key)).containsEntry("mex-messageid", text(key));
            }
            assertThat(contentByKey).hasSize(writers).containsKey("inbound/X26ABC1/export.csv");
            assertThat(contentByKey.values()).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
        assertThat(storedFiles()).hasSize(2 * writers).allMatch(file -> !file.contains("/."));
    }

    @Test
    void refusesANameWhoseOwnFilesWouldPassTheFileSystemsLimitBeforeWriting() throws IOException {
        String accented = "inbound/X26ABC1/" + "é".repeat(130);
        assertThatThrownBy(() -> store.create(accented, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytes in UTF-8");
        String longest = "inbound/X26ABC1/" + "é".repeat(ObjectStore.MAX_NAME_BYTES / 2);
        store.putText(longest, "fits", Map.of("mex-subject", "with metadata"));
        assertThat(text(longest)).isEqualTo("fits");
        assertThat(storedFiles()).hasSize(2);
    }

    @Override
    void leaveInternalFiles() throws IOException {
        Path outbound = root.resolve("store/outbound");
        Files.writeString(outbound.resolve(".a.csv.1234.part"), "in progress");
        Files.writeString(outbound.resolve(".hidden"), "hidden");
        Files.createDirectories(outbound.resolve(".cache"));
        Files.writeString(outbound.resolve(".cache/inside.csv"), "hidden folder");
        Files.createDirectories(outbound.resolve("empty"));
    }

    @Override
    List<String> storedFiles() throws IOException {
        Path base = root.resolve("store");
        if (!Files.exists(base)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(base)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> base.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void roundTripsContentAndMetadata() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("mex-to", "X26ABC2");
        metadata.put("mex-subject", "my super subject $£%");
        metadata.put("mex-localid", "ünïcødé ✓");

        try (ObjectWriter writer = store.create("inbound/X26ABC1/20240101-abc.dat", metadata)) {
            writer.stream().write("hello, mesh".getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }

        assertThat(text("inbound/X26ABC1/20240101-abc.dat")).isEqualTo("hello, mesh");
        assertThat(store.metadata("inbound/X26ABC1/20240101-abc.dat")).containsExactlyEntriesOf(metadata);
        ObjectInfo info = store.stat("inbound/X26ABC1/20240101-abc.dat").orElseThrow();
        assertThat(info.size()).isEqualTo(11);
        assertThat(info.name()).isEqualTo("20240101-abc.dat");
        assertThat(Files.exists(root.resolve("store/inbound/X26ABC1/20240101-abc.dat.meta.json"))).isTrue();
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
}
