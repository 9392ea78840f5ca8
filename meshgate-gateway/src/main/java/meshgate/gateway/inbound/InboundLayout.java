package meshgate.gateway.inbound;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import meshgate.client.MessageMetadata;
import meshgate.gateway.store.ObjectStore;

/**
 * Where a received message is stored. By default {@code inbound/{mailbox}/{message_id}.dat}, or {@code .ctl} for a
 * REPORT. With {@code use_sender_filename}, DATA messages keep the sender's {@code mex-filename}, cut down to a plain
 * file name so that it can never leave its folder, and only when it fits: a name that, with the message id before
 * it (see {@link #disambiguated}), is longer than {@link ObjectStore#MAX_NAME_BYTES} in UTF-8 gives way to
 * {@code {message_id}.dat}. With {@code use_legacy_inbound_location}, each mailbox's own configured folder replaces
 * {@code inbound/{mailbox}}.
 */
public final class InboundLayout {
    private final boolean useSenderFilename;
    private final boolean legacyLocation;
    private final Map<String, String> legacyFolders;

    public InboundLayout(boolean useSenderFilename, boolean legacyLocation, Map<String, String> legacyFolders) {
        this.useSenderFilename = useSenderFilename;
        this.legacyLocation = legacyLocation;
        this.legacyFolders = Map.copyOf(legacyFolders);
    }

    public String folder(String mailbox) {
        if (legacyLocation) {
            String folder = legacyFolders.get(mailbox);
            if (folder == null) {
                throw new IllegalStateException("use_legacy_inbound_location is on but mailbox " + mailbox
                        + " has no inbound_folder");
            }
            return stripSlashes(folder);
        }
        return "inbound/" + mailbox;
    }

    /** The key for a message, before checking whether another message already holds it. */
    public String key(String mailbox, String messageId, MessageMetadata metadata) {
        String folder = folder(mailbox);
        if (metadata.isReport()) {
            return folder + "/" + messageId + ".ctl";
        }
        if (useSenderFilename) {
            Optional<String> name = metadata.fileName().flatMap(InboundLayout::sanitise)
                    .filter(n -> fits(n, messageId));
            if (name.isPresent()) {
                return folder + "/" + name.get();
            }
        }
        return folder + "/" + messageId + ".dat";
    }

    /** The key to use instead when {@link #key} already holds a different message: the message id leads the name. */
    public String disambiguated(String key, String messageId) {
        int slash = key.lastIndexOf('/');
        return key.substring(0, slash + 1) + messageId + "_" + key.substring(slash + 1);
    }

    /**
     * A sender's file name made safe: only its last path segment (after {@code /} or {@code \}), without control
     * characters; nothing when what is left is empty, {@code .}, {@code ..}, hidden, or a reserved suffix.
     */
    public static Optional<String> sanitise(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        String name = fileName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        StringBuilder clean = new StringBuilder();
        name.codePoints().filter(c -> c >= 0x20 && c != 0x7f && c != ':').forEach(clean::appendCodePoint);
        name = clean.toString().trim();
        if (name.isEmpty() || name.startsWith(".") || name.toLowerCase(Locale.ROOT).endsWith(".meta.json")) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /** Whether the name, even with the message id before it, can be written by every store. */
    private static boolean fits(String name, String messageId) {
        return (messageId + "_" + name).getBytes(StandardCharsets.UTF_8).length <= ObjectStore.MAX_NAME_BYTES;
    }

    private static String stripSlashes(String folder) {
        String f = folder.trim();
        while (f.startsWith("/")) {
            f = f.substring(1);
        }
        while (f.endsWith("/")) {
            f = f.substring(0, f.length() - 1);
        }
        return f;
    }
}
