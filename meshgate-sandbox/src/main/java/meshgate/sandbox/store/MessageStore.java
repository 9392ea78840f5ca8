package meshgate.sandbox.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * All messages of the sandbox: metadata in memory (and, in folder mode, one {@code message.json} per message so a
 * restart sees them), chunk bytes in a {@link ChunkStore}. Metadata changes are serialised on this object; chunk bytes
 * stream outside the lock.
 */
public final class MessageStore implements AutoCloseable {
    private final ChunkStore chunks;
    private final Path metadataRoot;
    private final ObjectMapper mapper;
    private final MessageJson json;
    private final Map<String, StoredMessage> messages = new LinkedHashMap<>();
    private long lastArrival;

    private MessageStore(ChunkStore chunks, Path metadataRoot, ObjectMapper mapper) {
        this.chunks = chunks;
        this.metadataRoot = metadataRoot;
        this.mapper = mapper;
        this.json = new MessageJson(mapper);
    }

    /** Messages in memory; chunks above {@code spillThreshold} bytes go to a temp folder deleted on close. */
    public static MessageStore inMemory(int spillThreshold, ObjectMapper mapper) {
        return new MessageStore(new MemoryChunkStore(spillThreshold), null, mapper);
    }

    /** Messages persisted under {@code folder}/messages; existing ones are loaded. */
    public static MessageStore inFolder(Path folder, ObjectMapper mapper) {
        Path root = folder.resolve("messages");
        MessageStore store = new MessageStore(new FolderChunkStore(root), root, mapper);
        store.load();
        return store;
    }

    public synchronized void add(StoredMessage message) {
        messages.put(message.id(), message);
        persist(message);
    }

    public synchronized boolean contains(String messageId) {
        return messages.containsKey(messageId);
    }

    public synchronized Optional<StoredMessage> find(String messageId) {
        return Optional.ofNullable(messages.get(messageId));
    }

    /** Applies {@code change} to the message atomically and returns the result; empty when the message is unknown. */
    public synchronized Optional<StoredMessage> update(String messageId, UnaryOperator<StoredMessage> change) {
        StoredMessage current = messages.get(messageId);
        if (current == null) {
            return Optional.empty();
        }
        StoredMessage changed = change.apply(current);
        if (!changed.equals(current)) {
            messages.put(messageId, changed);
            persist(changed);
        }
        return Optional.of(changed);
    }

    /** The next inbox position; inboxes list messages in this order. */
    public synchronized long nextArrival() {
        return ++lastArrival;
    }

    /** The unacknowledged accepted messages of {@code mailbox}, in arrival order. */
    public synchronized List<StoredMessage> inbox(String mailbox) {
        return messages.values().stream()
                .filter(m -> m.inInboxOf(mailbox))
                .sorted(Comparator.comparingLong(m -> m.state().arrival()))
                .toList();
    }

    public synchronized List<StoredMessage> matching(Predicate<StoredMessage> filter) {
        return messages.values().stream().filter(filter).toList();
    }

    public long writeChunk(String messageId, int number, InputStream body) throws IOException {
        return chunks.write(messageId, number, body);
    }

    public boolean hasChunk(String messageId, int number) {
        return chunks.has(messageId, number);
    }

    public long chunkSize(String messageId, int number) {
        return chunks.size(messageId, number);
    }

    public InputStream openChunk(String messageId, int number) throws IOException {
        return chunks.open(messageId, number);
    }

    public synchronized void remove(String messageId) {
        messages.remove(messageId);
        chunks.delete(messageId);
    }

    /** Forgets every message. */
    public synchronized void clear() {
        messages.clear();
        chunks.clear();
    }

    /** Forgets the messages sent to or by {@code mailbox}. */
    public synchronized void clear(String mailbox) {
        List<String> ids = new ArrayList<>();
        for (StoredMessage m : messages.values()) {
            if (mailbox.equals(m.envelope().recipient()) || mailbox.equals(m.envelope().sender())) {
                ids.add(m.id());
            }
        }
        ids.forEach(this::remove);
    }

    @Override
    public synchronized void close() {
        chunks.close();
    }

    private void persist(StoredMessage message) {
        if (metadataRoot == null) {
            return;
        }
        try {
            Path folder = Files.createDirectories(metadataRoot.resolve(message.id()));
            Path temp = Files.createTempFile(folder, "message-", ".part");
            mapper.writeValue(temp.toFile(), json.write(message));
            Files.move(temp, folder.resolve("message.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load() {
        List<StoredMessage> loaded = new ArrayList<>();
        try (Stream<Path> folders = Files.list(metadataRoot)) {
            for (Path folder : folders.toList()) {
                Path file = folder.resolve("message.json");
                if (Files.isRegularFile(file)) {
                    loaded.add(json.read(mapper.readTree(file.toFile())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loaded.sort(Comparator.comparing(m -> m.envelope().uploadedAt()));
        for (StoredMessage m : loaded) {
            messages.put(m.id(), m);
            lastArrival = Math.max(lastArrival, m.state().arrival());
        }
    }
}
