package meshgate.gateway.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the operator's web console listens; none when {@code console.port} is not set. With a {@code token}, a person
 * signs in with it; without one the console is open to whoever reaches its address, which the loader allows only on
 * the loopback interface.
 */
public record ConsoleSettings(Optional<InetSocketAddress> address, Optional<Secret> token) {
    public ConsoleSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(token, "token");
    }

    public static ConsoleSettings off() {
        return new ConsoleSettings(Optional.empty(), Optional.empty());
    }
}
