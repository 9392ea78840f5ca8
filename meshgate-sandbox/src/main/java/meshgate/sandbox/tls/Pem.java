package meshgate.sandbox.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Writes PEM objects to files (creating parent folders). */
final class Pem {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private Pem() {
    }

    /** Like {@link #write}, but the file is readable by its owner only: it holds a private key. */
    static void writePrivate(Path file, Object... objects) {
        createPrivate(file);
        write(file, objects);
    }

    /**
     * Creates {@code file} empty, or empties it, with owner-only permissions before any key byte is written, so a key
     * is never readable by others even for an instant. A file system without POSIX permissions is left as it is.
     */
    static void createPrivate(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            } else {
                Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY)).close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    static void write(Path file, Object... objects) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                    JcaPEMWriter pem = new JcaPEMWriter(out)) {
                for (Object object : objects) {
                    pem.writeObject(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
