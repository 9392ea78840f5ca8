package meshgate.gateway.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory: a random id (the cookie) and a CSRF token of its own for each, which every
 * state-changing form must carry. A session ends after an hour without a request, or twelve hours after it began; at
 * most {@link #MAX_SESSIONS} are kept, the least recently used going first. A restart signs everyone out.
 */
final class ConsoleSessions {
    static final int MAX_SESSIONS = 1000;
    static final Duration IDLE = Duration.ofHours(1);
    static final Duration LIFETIME = Duration.ofHours(12);

    /** One session: who it is (the address it signed in from) and its CSRF token; a notice to show once. */
    static final class Session {
        final String id;
        final String csrf;
        final String remote;
        final Instant created;
        volatile Instant lastSeen;
        volatile ConsoleModel.Notice notice;

        Session(String id, String csrf, String remote, Instant created) {
            this.id = id;
            this.csrf = csrf;
            this.remote = remote;
            this.created = created;
            this.lastSeen = created;
        }

        /** True when {@code given} is this session's CSRF token; compared in constant time. */
        boolean csrfMatches(String given) {
            return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    csrf.getBytes(StandardCharsets.UTF_8));
        }

        /** The notice to show, once. */
        Optional<ConsoleModel.Notice> takeNotice() {
            ConsoleModel.Notice taken = notice;
            notice = null;
            return Optional.ofNullable(taken);
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session, with ids never given before. */
    Session open(String remote) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparing(s -> s.lastSeen))
                    .ifPresent(oldest -> sessions.remove(oldest.id));
        }
        Session session = new Session(randomId(), randomId(), remote, now);
        sessions.put(session.id, session);
        return session;
    }

    /** The live session of this cookie value, if any; using it keeps it alive. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        Instant now = clock.instant();
        if (session == null) {
            return Optional.empty();
        }
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.lastSeen = now;
        return Optional.of(session);
    }

    void close(Session session) {
        sessions.remove(session.id);
    }

    private static boolean expired(Session s, Instant now) {
        return s.lastSeen.plus(IDLE).isBefore(now) || s.created.plus(LIFETIME).isBefore(now);
    }

    private String randomId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
