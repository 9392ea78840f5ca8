package meshgate.gateway;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;

/**
 * Runs the gateway from a YAML file until the process is stopped: {@code GatewayMain CONFIG_FILE}. SIGTERM and
 * Ctrl-C stop it gracefully; after SIGKILL the next start resumes from the ledger.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: GatewayMain CONFIG_FILE");
            System.exit(2);
        }
        GatewayConfig config = GatewayConfigLoader.load(Path.of(args[0]), System.getenv());
        run(config);
    }

    /** Starts the gateway and blocks until the JVM is asked to stop. */
    public static void run(GatewayConfig config) throws InterruptedException {
        Gateway gateway = Gateway.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("gateway running");
        System.out.flush();
        stopped.await();
    }
}
