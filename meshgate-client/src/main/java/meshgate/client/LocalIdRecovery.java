package meshgate.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Tells, from MESH's tracking by local id, whether a send whose first chunk had an unknown outcome created its
 * message. MESH answers with the one message this mailbox sent with the local id, or only that there are several
 * (300), so a local id the caller reuses can point at an earlier message. A candidate is this send's message only when
 * its recipient, workflow id, file name (when one was sent) and chunk count (when known) match, and it was not there
 * before the first chunk went out; when that is not known, its upload time must not be earlier than the send began,
 * less {@link #CLOCK_SKEW}. What cannot be told apart is {@link Kind#UNKNOWN}, never sent and never sent again.
 */
final class LocalIdRecovery {
    /** How far MESH's clock may be behind ours when only the upload time can date a candidate. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter MESH_TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private LocalIdRecovery() {
    }

    enum Kind { SENT, NOT_SENT, UNKNOWN }

    /** The verdict: {@code messageId} is set when SENT; {@code reason} says why, for the log. */
    record Verdict(Kind kind, Optional<String> messageId, String reason) {
        static Verdict sent(String messageId, String reason) {
            return new Verdict(Kind.SENT, Optional.of(messageId), reason);
        }

        static Verdict notSent(String reason) {
            return new Verdict(Kind.NOT_SENT, Optional.empty(), reason);
        }

        static Verdict unknown(String reason) {
            return new Verdict(Kind.UNKNOWN, Optional.empty(), reason);
        }
    }

    /** MESH's answer to tracking by local id: no message, the only one, or several (MESH then names none). */
    record Lookup(Optional<TrackingInfo> single, boolean several) {
        static Lookup none() {
            return new Lookup(Optional.empty(), false);
        }

        static Lookup one(TrackingInfo info) {
            return new Lookup(Optional.of(info), false);
        }

        static Lookup many() {
            return new Lookup(Optional.empty(), true);
        }

        /** The ids known to carry the local id: empty when MESH named none of several. */
        Optional<Set<String>> ids() {
            return several ? Optional.empty() : Optional.of(single.map(i -> Set.of(i.messageId())).orElse(Set.of()));
        }
    }

    /**
     * @param found what tracking by local id answers now
     * @param earlier the ids that carried the local id before this send's first chunk went out, when known
     */
    static Verdict judge(Lookup found, OutboundMessage message, OptionalInt chunks, Instant started,
            Optional<Set<String>> earlier) {
        String localId = message.localId().orElse("");
        if (found.several()) {
            return Verdict.unknown("several messages have local id " + localId + " and MESH does not say which");
        }
        if (found.single().isEmpty()) {
            return Verdict.notSent("no message has local id " + localId);
        }
        TrackingInfo candidate = found.single().get();
        String id = candidate.messageId();
        // Being the only message with the local id, a candidate that is not this send's message means there is none.
        if (earlier.map(ids -> ids.contains(id)).orElse(false)) {
            return Verdict.notSent("the only message with local id " + localId + ", " + id + ", was sent earlier");
        }
        Optional<String> differs = difference(candidate, message, chunks);
        if (differs.isPresent()) {
            return Verdict.notSent("the only message with local id " + localId + ", " + id + ", has another "
                    + differs.get());
        }
        Optional<String> missing = missing(candidate, message, chunks);
        if (missing.isPresent()) {
            return Verdict.unknown("message " + id + " with local id " + localId + " has no " + missing.get()
                    + " to compare");
        }
        if (earlier.isPresent()) {
            return Verdict.sent(id, "it appeared after the first chunk went out and matches");
        }
        Optional<Instant> uploaded = candidate.uploadTimestamp().flatMap(LocalIdRecovery::parseMeshTime);
        if (uploaded.isEmpty()) {
            return Verdict.unknown("message " + id + " with local id " + localId + " has no upload time to compare");
        }
        if (uploaded.get().isBefore(started.minus(CLOCK_SKEW))) {
            return Verdict.unknown("message " + id + " with local id " + localId + " matches but was uploaded at "
                    + uploaded.get() + ", before this send began at " + started + ": only the clock tells them apart");
        }
        return Verdict.sent(id, "it matches and was uploaded after this send began");
    }

    private static Optional<String> difference(TrackingInfo candidate, OutboundMessage message, OptionalInt chunks) {
        if (candidate.recipient().filter(r -> !r.equalsIgnoreCase(message.to())).isPresent()) {
            return Optional.of("recipient " + candidate.recipient().get());
        }
        if (candidate.workflowId().filter(w -> !w.equals(message.workflowId())).isPresent()) {
            return Optional.of("workflow id " + candidate.workflowId().get());
        }
        if (fileName(candidate, message) == Comparison.DIFFERENT) {
            return Optional.of("file name " + candidate.fileName().get());
        }
        if (chunks.isPresent() && candidate.chunkCount().filter(c -> c != chunks.getAsInt()).isPresent()) {
            return Optional.of("chunk count " + candidate.chunkCount().get());
        }
        return Optional.empty();
    }

    private static Optional<String> missing(TrackingInfo candidate, OutboundMessage message, OptionalInt chunks) {
        if (candidate.recipient().isEmpty()) {
            return Optional.of("recipient");
        }
        if (candidate.workflowId().isEmpty()) {
            return Optional.of("workflow id");
        }
        if (fileName(candidate, message) == Comparison.UNCOMPARABLE) {
            return Optional.of("file name that can be compared");
        }
        if (chunks.isPresent() && candidate.chunkCount().isEmpty()) {
            return Optional.of("chunk count");
        }
        return Optional.empty();
    }

    private enum Comparison { SAME, DIFFERENT, UNCOMPARABLE }

    /**
     * A file name is sent as a header; a non-ASCII one may come back from tracking decoded otherwise (its UTF-8 bytes
     * read as ISO-8859-1, or worse), so only an ASCII name that differs proves another message.
     */
    private static Comparison fileName(TrackingInfo candidate, OutboundMessage message) {
        if (message.fileName().isEmpty()) {
            return Comparison.SAME;
        }
        String sent = message.fileName().get();
        if (candidate.fileName().isEmpty()) {
            return Comparison.UNCOMPARABLE;
        }
        String tracked = candidate.fileName().get();
        if (tracked.equals(sent)
                || tracked.equals(new String(sent.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
            return Comparison.SAME;
        }
        boolean ascii = sent.chars().allMatch(c -> c < 0x80);
        return ascii ? Comparison.DIFFERENT : Comparison.UNCOMPARABLE;
    }

    /** MESH writes {@code yyyyMMddHHmmss} (v1) or ISO-8601 without a zone (v2), both UTC. */
    static Optional<Instant> parseMeshTime(String value) {
        Objects.requireNonNull(value);
        try {
            if (value.length() == 14 && value.chars().allMatch(Character::isDigit)) {
                return Optional.of(LocalDateTime.parse(value, MESH_TIMESTAMP).toInstant(ZoneOffset.UTC));
            }
            String iso = value.endsWith("Z") || value.contains("+") ? value : value + "Z";
            return Optional.of(Instant.parse(iso));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
