package meshgate.gateway.store;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import meshgate.client.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ObjectStore} on a local folder. A key is a path relative to the root; an object's metadata lives beside it
 * in a sidecar file {@code {name}.meta.json} holding a JSON object of names to text, so a person can drop a file and
 * its routing headers into a folder by hand.
 *
 * <p>Writes go to a hidden temporary file in the target folder and are renamed onto their key only once forced to
 * disk, with the sidecar renamed into place first: a file is never seen half-written or without its metadata. Keys
 * are checked before use and can never point outside the root; a key may not name a hidden file or folder (one
 * starting with {@code .}) or a sidecar, since those are the store's own.
 */
public final class LocalFolderStore implements ObjectStore {
    static final String SIDECAR_SUFFIX = ".meta.json";

    private static final Logger log = LoggerFactory.getLogger(LocalFolderStore.class);
    private static final int BUFFER_BYTES = 64 * 1024;
    /** Sidecars are written by hand or by us and hold a few headers; anything larger is not a sidecar. */
    private static final long MAX_SIDECAR_BYTES = 1024 * 1024;
    private static final int MAX_FILE_NAME_BYTES = 255;
    private static final Set<StandardOpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);

    private final Path root;
    private final FileAccess access;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * A store on {@code root}, created if absent, whose files only their owner can read.
     *
     * @throws UncheckedIOException if the folder cannot be created
     */
    public LocalFolderStore(Path root) {
        this(root, FileAccess.OWNER_ONLY);
    }

    /**
     * A store on {@code root}, created if absent, writing files and folders with {@code access}.
     *
     * @throws UncheckedIOException if the folder cannot be created
     */
    public LocalFolderStore(Path root, FileAccess access) {
        this.access = access;
        try {
            this.root = access.createFolders(root).normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create store folder " + root, e);
        }
    }

    /** The folder this store keeps its objects in. */
    public Path root() {
        return root;
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        Path folder = folderOf(prefix);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<ObjectInfo> found = new ArrayList<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(folder) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !isInternal(file.getFileName().toString())) {
                    String key = keyOf(file);
                    if (key.startsWith(prefix)) {
                        if (isValidKey(key)) {
                            found.add(info(key, attrs));
                        } else {
                            log.warn("event=store.unusable_name root={} file={}", root, file);
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e == null || e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        found.sort(Comparator.comparing(ObjectInfo::key));
        return found;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path file = pathOf(key);
        try {
            BasicFileAttributes attrs =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attrs.isRegularFile()
                    ? Optional.of(info(key, attrs))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Map<String, String> metadata(String key) throws IOException {
        Path file = pathOf(key);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(key);
        }
        Path sidecar = sidecarOf(file);
        byte[] bytes;
        try {
            if (Files.size(sidecar) > MAX_SIDECAR_BYTES) {
                throw new MetadataUnreadableException(
                        "metadata file " + sidecarName(key) + " is larger than " + MAX_SIDECAR_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(sidecar);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        return parseSidecar(key, bytes);
    }

    @Override
    public MessageContent content(String key) throws IOException {
        return MessageContent.of(pathOf(key));
    }

    @Override
    public ObjectWriter create(String key, Map<String, String> metadata) throws IOException {
        return writer(key, metadata, true);
    }

    @Override
    public ObjectWriter createNew(String key, Map<String, String> metadata) throws IOException {
        return writer(key, metadata, false);
    }

    private ObjectWriter writer(String key, Map<String, String> metadata, boolean replace) throws IOException {
        Path file = pathOf(key);
        checkFits(key, tempBeside(file));
        Map<String, String> kept = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        checkMetadataFits(key, file, kept);
        if (!replace) {
            checkFree(file);
        }
        access.createFolders(file.getParent());
        return new FolderObjectWriter(file, kept, replace);
    }

    /** Fails early, before any content is written, when the key is taken or being claimed (its sidecar is there). */
    private void checkFree(Path file) throws FileAlreadyExistsException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.exists(sidecarOf(file), LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(keyOf(file));
        }
    }

    @Override
    public void putText(String key, String text, Map<String, String> metadata) throws IOException {
        try (ObjectWriter writer = create(key, metadata)) {
            writer.stream().write(text.getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }
    }

    @Override
    public void move(String from, String to) throws IOException {
        Path source = pathOf(from);
        Path target = pathOf(to);
        if (source.equals(target)) {
            return;
        }
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(from);
        }
        access.createFolders(target.getParent());
        // The source keeps its sidecar until the object has moved, so a crash part-way leaves a retryable move.
        Path sourceSidecar = sidecarOf(source);
        Path targetSidecar = sidecarOf(target);
        if (Files.exists(sourceSidecar, LinkOption.NOFOLLOW_LINKS)) {
            Path temp = tempBeside(targetSidecar);
            try {
                Files.copy(sourceSidecar, temp, StandardCopyOption.REPLACE_EXISTING);
                access.restrictFile(temp);
                force(temp);
                moveAtomically(temp, targetSidecar);
            } finally {
                Files.deleteIfExists(temp);
            }
        } else {
            Files.deleteIfExists(targetSidecar);
        }
        moveAtomically(source, target);
        Files.deleteIfExists(sourceSidecar);
        forceDirectory(target.getParent());
        forceDirectory(source.getParent());
    }

    @Override
    public void moveNew(String from, String to) throws IOException {
        Path source = pathOf(from);
        Path target = pathOf(to);
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(from);
        }
        if (source.equals(target)) {
            throw new FileAlreadyExistsException(to);
        }
        access.createFolders(target.getParent());
        Path sourceSidecar = sidecarOf(source);
        Path sidecarCopy = null;
        try {
            if (Files.exists(sourceSidecar, LinkOption.NOFOLLOW_LINKS)) {
                sidecarCopy = tempBeside(sidecarOf(target));
                Files.copy(sourceSidecar, sidecarCopy);
                access.restrictFile(sidecarCopy);
                force(sidecarCopy);
            }
            linkNew(source, target, sidecarCopy);
        } finally {
            if (sidecarCopy != null) {
                Files.deleteIfExists(sidecarCopy);
            }
        }
        // Only now does the source go: a crash before this leaves the object under both keys, never under none.
        Files.deleteIfExists(source);
        Files.deleteIfExists(sourceSidecar);
        forceDirectory(target.getParent());
        forceDirectory(source.getParent());
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = pathOf(key);
        Files.deleteIfExists(file);
        Files.deleteIfExists(sidecarOf(file));
    }

    @Override
    public Optional<Path> localFolder(String prefix) {
        return Optional.of(folderOf(prefix));
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "LocalFolderStore[" + root + "]";
    }

    private Map<String, String> parseSidecar(String key, byte[] bytes) throws MetadataUnreadableException {
        JsonNode tree;
        try {
            tree = json.readTree(bytes);
        } catch (JacksonException e) {
            throw new MetadataUnreadableException(
                    "metadata file " + sidecarName(key) + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MetadataUnreadableException("metadata file " + sidecarName(key) + " cannot be read", e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new MetadataUnreadableException("metadata file " + sidecarName(key)
                    + " must hold a JSON object of names to text, like {\"mex-to\": \"X26ABC2\"}");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw new MetadataUnreadableException("metadata file " + sidecarName(key) + ": value of \""
                        + field.getKey() + "\" must be text, not a JSON " + value.getNodeType().name().toLowerCase());
            }
            metadata.put(field.getKey(), value.asText());
        }
        return metadata;
    }

    private void writeSidecar(Path file, Map<String, String> metadata) throws IOException {
        Path sidecar = sidecarOf(file);
        if (metadata.isEmpty()) {
            Files.deleteIfExists(sidecar);
            return;
        }
        Path temp = writeTempSidecar(sidecar, metadata);
        try {
            moveAtomically(temp, sidecar);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The metadata written, forced to disk, under a hidden name beside {@code sidecar}. */
    private Path writeTempSidecar(Path sidecar, Map<String, String> metadata) throws IOException {
        Path temp = tempBeside(sidecar);
        ByteBuffer bytes = ByteBuffer.wrap(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
        try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, access.newFile(temp))) {
            access.restrictFile(temp);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /**
     * Gives {@code data} the name {@code target}, and {@code sidecar} (if any) the target's sidecar name, only if
     * neither name is taken. The sidecar is claimed first, so the object is never seen without its metadata; a
     * sidecar without its object is a claim in progress (or left by a crash) and counts as taken. Nothing of ours is
     * left under the target's names when it is taken.
     */
    private void linkNew(Path data, Path target, Path sidecar) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(keyOf(target));
        }
        Path targetSidecar = sidecarOf(target);
        boolean sidecarClaimed = false;
        try {
            if (sidecar != null) {
                claimName(sidecar, targetSidecar);
                sidecarClaimed = true;
            }
            claimName(data, target);
        } catch (IOException e) {
            if (sidecarClaimed) {
                Files.deleteIfExists(targetSidecar);
            }
            throw e;
        }
    }

    /**
     * A hard link is created only if its name is free, atomically, where a rename would replace what is there; the
     * caller removes the old name. Where links are not supported, a rename that checks first is the best there is.
     */
    private static void claimName(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            log.debug("event=store.link_unsupported file={} error={}", to, e.toString());
            Files.move(from, to);
        }
    }

    /**
     * File systems limit a name to 255 bytes, and the store's own names beside an object (its hidden temporary file,
     * its sidecar's) are longer than the object's: a key they do not fit is refused before anything is written.
     */
    private static void checkFits(String key, Path internal) {
        int bytes = internal.getFileName().toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_FILE_NAME_BYTES) {
            throw new IllegalArgumentException("object name too long: the store's own file beside it would be "
                    + bytes + " bytes in UTF-8, more than the " + MAX_FILE_NAME_BYTES + " a file system allows (keep "
                    + "names within " + MAX_NAME_BYTES + " bytes): \"" + printable(key) + "\"");
        }
    }

    private static void checkMetadataFits(String key, Path file, Map<String, String> metadata) {
        if (!metadata.isEmpty()) {
            checkFits(key, tempBeside(sidecarOf(file)));
        }
    }

    /** The path of a key, after checking it cannot escape the root or name a store-internal file. */
    private Path pathOf(String key) {
        if (!isValidKey(key)) {
            throw new IllegalArgumentException("not a usable object key: \"" + printable(key) + "\"");
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("object key resolves outside the store: \"" + printable(key) + "\"");
        }
        return path;
    }

    /** The folder holding the keys that start with {@code prefix}: its part up to the last {@code /}. */
    private Path folderOf(String prefix) {
        int slash = prefix.lastIndexOf('/');
        if (slash < 0) {
            return root;
        }
        return pathOf(prefix.substring(0, slash));
    }

    private String keyOf(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return false;
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                return false;
            }
        }
        return !key.endsWith(SIDECAR_SUFFIX);
    }

    private static boolean isInternal(String name) {
        return name.startsWith(".") || name.endsWith(SIDECAR_SUFFIX);
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static ObjectInfo info(String key, BasicFileAttributes attrs) {
        // A rename brings another file (another identity); a write in place moves the time, at full precision.
        Object identity = attrs.fileKey();
        String version = (identity == null ? "" : identity + "@") + attrs.lastModifiedTime();
        return new ObjectInfo(key, attrs.size(), lastModified(attrs), version);
    }

    private static Instant lastModified(BasicFileAttributes attrs) {
        // Millisecond precision, as kept by the ledger and by S3, so the same version always compares equal.
        return attrs.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Path sidecarOf(Path file) {
        return file.resolveSibling(file.getFileName() + SIDECAR_SUFFIX);
    }

    private static String sidecarName(String key) {
        return key + SIDECAR_SUFFIX;
    }

    private static Path tempBeside(Path file) {
        return file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".part");
    }

    /** A key as it can be shown in a message: control characters as {@code \\uXXXX}. */
    static String printable(String key) {
        if (key == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Makes a rename durable; not every platform lets a directory be opened for this. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("event=store.directory_sync_unsupported dir={} error={}", dir, e.toString());
        }
    }

    private final class FolderObjectWriter implements ObjectWriter {
        private final Path file;
        private final Map<String, String> metadata;
        private final boolean replace;
        private final Path temp;
        private final FileChannel channel;
        private final BufferedOutputStream buffer;
        private final OutputStream stream;
        private boolean finished;

        FolderObjectWriter(Path file, Map<String, String> metadata, boolean replace) throws IOException {
            this.file = file;
            this.metadata = metadata;
            this.replace = replace;
            this.temp = tempBeside(file);
            this.channel = FileChannel.open(temp, CREATE_NEW, access.newFile(temp));
            access.restrictFile(temp);
            this.buffer = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
            // Closing the stream only flushes: the writer owns the file until commit or close.
            this.stream = new FilterOutputStream(buffer) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    buffer.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    buffer.flush();
                }
            };
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public void commit() throws IOException {
            if (finished) {
                throw new IllegalStateException("already committed or closed: " + file);
            }
            try {
                seal();
                if (replace) {
                    writeSidecar(file, metadata);
                    moveAtomically(temp, file);
                } else {
                    claim();
                }
                forceDirectory(file.getParent());
            } finally {
                close();
            }
        }

        /** Gives the content and its sidecar their names only if both are free; a taken key leaves nothing of ours. */
        private void claim() throws IOException {
            Path sidecar = metadata.isEmpty() ? null : writeTempSidecar(sidecarOf(file), metadata);
            try {
                linkNew(temp, file, sidecar);
            } finally {
                if (sidecar != null) {
                    Files.deleteIfExists(sidecar);
                }
            }
        }

        /** Content forced to disk and the file closed, once, before it takes any name. */
        private void seal() throws IOException {
            if (channel.isOpen()) {
                buffer.flush();
                channel.force(true);
                channel.close();
            }
        }

        @Override
        public void close() throws IOException {
            if (finished) {
                return;
            }
            finished = true;
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
