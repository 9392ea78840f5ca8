package meshgate.gateway.config;

/**
 * A configuration that cannot be used. The message names the setting (as written in the YAML file, or the
 * environment variable that set it) and what is wrong; it never contains a secret's value.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
