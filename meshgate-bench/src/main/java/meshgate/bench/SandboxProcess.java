package meshgate.bench;

import java.nio.file.Path;
import java.util.List;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;

/**
 * The sandbox in a JVM of its own, so that a benchmark measures the client's memory alone. Serves HTTPS requiring
 * client certificates from the given certificate folder, stores under a folder, prints {@code READY {baseUrl}}, and
 * stops when its standard input closes. Arguments: STORE_DIR TLS_DIR PASSPHRASE.
 */
public final class SandboxProcess {
    private SandboxProcess() {
    }

    public static void main(String[] args) throws Exception {
        LocalCertificates certificates = LocalCertificates.openOrCreate(Path.of(args[1]), List.of(), args[2]);
        try (MeshSandbox sandbox = MeshSandbox.builder().https(certificates.serverContext())
                .requireClientCertificate(true).store(Path.of(args[0])).start()) {
            System.out.println("READY " + sandbox.baseUrl());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
