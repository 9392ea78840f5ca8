package meshgate.gateway.outbound;

import java.io.IOException;
import java.util.ServiceLoader;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.OutboundNotificationSettings;

/**
 * Announcements of new objects under {@code outbound/}, such as S3 event notifications received from SQS (in
 * meshgate-aws). The gateway finds an implementation through {@link ServiceLoader}, so it depends on none. Each
 * announced key goes to {@link Offers#offer}, the same entry point as the listing's, which records the object in the
 * ledger before saying so: an announcement is forgotten only then.
 */
public interface OutboundNotificationSource {
    /**
     * Starts receiving announcements of objects in {@code bucket} and passing their keys to {@code offers}, until the
     * returned handle is closed. Announcements that cannot be read are left where they came from, never dropped
     * silently; a failure to receive is tried again, never ends the receiving.
     */
    Running start(OutboundNotificationSettings settings, String bucket, Offers offers);

    /** Where announced keys go: {@link OutboundWatcher#offer}. */
    @FunctionalInterface
    interface Offers {
        /**
         * @return true once the object is recorded in the ledger, or there is nothing to send: the announcement may be
         *     forgotten
         * @throws IOException when the store or the ledger could not be asked: the announcement must be kept
         */
        boolean offer(String key) throws IOException;
    }

    /** A source that is receiving; closing it stops it. */
    interface Running extends AutoCloseable {
        @Override
        void close();
    }

    /** The implementation on the class path (meshgate-aws's SQS receiver). */
    static OutboundNotificationSource load() {
        return ServiceLoader.load(OutboundNotificationSource.class).findFirst().orElseThrow(() -> new ConfigException(
                "outbound_notifications: no receiver of S3 event notifications is on the class path; it is in the "
                        + "meshgate-aws module (remove outbound_notifications to detect new objects by listing)"));
    }
}
