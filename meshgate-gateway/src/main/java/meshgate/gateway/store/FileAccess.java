package meshgate.gateway.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Who may read what a local store writes. Received messages hold patient data, so by default only the gateway's own
 * user may (files 0600, folders 0700); {@link #GROUP_READABLE} lets a shared group read them (0640, 0750). On a file
 * system without POSIX permissions nothing is set.
 *
 * <p>New files and folders are created with the mode, so they are never readable by others even for an instant;
 * the mode is then set exactly, since the process umask may have narrowed it below what a shared group needs.
 */
public record FileAccess(Set<PosixFilePermission> fileMode, Set<PosixFilePermission> folderMode) {
    public static final FileAccess OWNER_ONLY = new FileAccess(PosixFilePermissions.fromString("rw-------"),
            PosixFilePermissions.fromString("rwx------"));
    public static final FileAccess GROUP_READABLE = new FileAccess(PosixFilePermissions.fromString("rw-r-----"),
            PosixFilePermissions.fromString("rwxr-x---"));

    public FileAccess {
        fileMode = Set.copyOf(fileMode);
        folderMode = Set.copyOf(folderMode);
    }

    /** {@link #GROUP_READABLE} or {@link #OWNER_ONLY}. */
    public static FileAccess of(boolean groupReadable) {
        return groupReadable ? GROUP_READABLE : OWNER_ONLY;
    }

    /** The attributes to create a new file with on {@code fileSystemOf}'s file system (none if not POSIX). */
    FileAttribute<?>[] newFile(Path fileSystemOf) {
        return posix(fileSystemOf) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(fileMode)}
                : new FileAttribute<?>[0];
    }

    /** Gives an existing file of ours exactly the file mode. */
    void restrictFile(Path file) throws IOException {
        if (posix(file)) {
            Files.setPosixFilePermissions(file, fileMode);
        }
    }

    /**
     * Creates {@code folder} and any missing parents with the folder mode; folders that already exist (perhaps made
     * by an operator) keep theirs.
     */
    Path createFolders(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        if (!posix(absolute)) {
            return Files.createDirectories(absolute);
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        FileAttribute<?> attribute = PosixFilePermissions.asFileAttribute(folderMode);
        while (!missing.isEmpty()) {
            Path next = missing.pop();
            try {
                Files.createDirectory(next, attribute);
                Files.setPosixFilePermissions(next, folderMode);
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(next)) {
                    throw raced;
                }
            }
        }
        return absolute;
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
