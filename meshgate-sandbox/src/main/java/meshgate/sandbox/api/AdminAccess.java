package meshgate.sandbox.api;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may use the admin endpoints, which can wipe every mailbox, deliver forged messages and fail requests. On a
 * loopback address only this machine can reach them, so they are open (unless a token is set anyway). On any other
 * address they need {@code Authorization: Bearer TOKEN}, and are closed when no token was given.
 */
public final class AdminAccess {
    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> token;
    private final boolean tokenRequired;

    private AdminAccess(Optional<String> token, boolean tokenRequired) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.tokenRequired = tokenRequired;
    }

    /** The access rule for a server listening on {@code host}, with the admin token if one was given. */
    public static AdminAccess forListenAddress(String host, Optional<String> token) {
        return new AdminAccess(token.filter(t -> !t.isEmpty()), token.isPresent() || !isLoopback(host));
    }

    /** Open to all: for a handler not behind a network listener of its own choosing. */
    public static AdminAccess open() {
        return new AdminAccess(Optional.empty(), false);
    }

    /** Empty if {@code request} may use an admin endpoint, else the error to answer it with. */
    Optional<ApiError> refusal(HttpServletRequest request) {
        if (!tokenRequired) {
            return Optional.empty();
        }
        if (token.isEmpty()) {
            return Optional.of(ApiError.mesh(403, "", "", "admin endpoints are closed: the sandbox listens beyond "
                    + "loopback and no admin token is set"));
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith(BEARER)) {
            return Optional.of(ApiError.mesh(401, "", "", "admin endpoints need Authorization: Bearer TOKEN"));
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        // Compared in constant time, so response timing does not reveal how much of a guess was right.
        if (!MessageDigest.isEqual(given, token.get())) {
            return Optional.of(ApiError.mesh(401, "", "", "admin token not accepted"));
        }
        return Optional.empty();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
