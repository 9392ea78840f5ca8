package meshgate.gateway.inbound;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * MESH's headers as MESH's documentation spells them ({@code Mex-WorkflowID}, {@code Mex-LinkedMsgID}). The client
 * hands headers over lower-cased; a report's {@code .ctl} names them as terraform-aws-mesh-client's does, which
 * copies them from the HTTP response.
 */
final class MeshHeaderSpelling {
    private static final Map<String, String> KNOWN = Stream.of("Mex-From", "Mex-To", "Mex-WorkflowID",
            "Mex-Chunk-Range", "Mex-Total-Chunks", "Mex-AddressType", "Mex-LocalID", "Mex-PartnerID", "Mex-FileName",
            "Mex-Subject", "Mex-Version", "Mex-MessageType", "Mex-MessageID", "Mex-Content-Type",
            "Mex-Content-Checksum", "Mex-Content-Encrypted", "Mex-Content-Compressed", "Mex-Content-Compress",
            "Mex-LinkedMsgID", "Mex-StatusCode", "Mex-StatusEvent", "Mex-StatusDescription", "Mex-StatusSuccess",
            "Mex-StatusTimestamp", "Content-Type", "Content-Encoding", "Content-Length", "Last-Modified")
            .collect(Collectors.toUnmodifiableMap(name -> name.toLowerCase(Locale.ROOT), name -> name));

    private MeshHeaderSpelling() {
    }

    /** The header as MESH spells it; one MESH does not document gets each word capitalised. */
    static String of(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String known = KNOWN.get(lower);
        if (known != null) {
            return known;
        }
        return Stream.of(lower.split("-", -1))
                .map(word -> word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1))
                .collect(Collectors.joining("-"));
    }
}
