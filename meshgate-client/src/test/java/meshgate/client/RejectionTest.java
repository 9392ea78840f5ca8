package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way MESH refuses a request surfaces as the exception that names it, with MESH's status and code. */
class RejectionTest {
    @TempDir
    static Path dir;
    static SandboxFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new SandboxFixture(dir, sandbox -> sandbox.strictAuth(Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailure() {
        try (MeshClient client = fixture.clientBuilder("X26ABC1").credentials("X26ABC1", "wrong", "TestKey").build()) {
            assertThatThrownBy(client::handshake).isInstanceOfSatisfying(MeshAuthenticationException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(403);
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.errorDescription()).contains("Invalid Authentication Token");
            });
        }
    }

    @Test
    void wrongSharedKeyIsAnAuthenticationFailure() {
        try (MeshClient client = fixture.clientBuilder("X26ABC1").credentials("X26ABC1", "password", "BackBone").build()) {
            assertThatThrownBy(client::inboxCount).isInstanceOfSatisfying(MeshAuthenticationException.class,
                    e -> assertThat(e.httpStatus()).isEqualTo(403));
        }
    }

    @Test
    void staleTimestampIsRejectedInStrictMode() {
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        try (MeshClient client = fixture.clientBuilder("X26ABC1").clock(anHourAgo).build()) {
            assertThatThrownBy(client::handshake).isInstanceOfSatisfying(MeshAuthenticationException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(403);
                assertThat(e.getMessage()).containsIgnoringCase("timestamp");
            });
        }
    }

    @Test
    void unknownMailboxIsAnAuthenticationFailure() {
        try (MeshClient client = fixture.clientBuilder("X26ZZZ9").build()) {
            assertThatThrownBy(client::handshake).isInstanceOfSatisfying(MeshAuthenticationException.class,
                    e -> assertThat(e.httpStatus()).isEqualTo(403));
        }
    }

    @Test
    void unknownRecipientIsRejectedWithMeshCode12() {
        try (MeshClient client = fixture.client("X26ABC1")) {
            assertThatThrownBy(() -> client.send(OutboundMessage.to("X26NOPE1", "TEST_WORKFLOW").build(), new byte[] {1}))
                    .isInstanceOfSatisfying(MeshRejectedException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(417);
                        assertThat(e.errorCode()).contains("12");
                        assertThat(e.errorDescription()).contains("Unregistered to address");
                        assertThat(e.isRetryable()).isFalse();
                    });
        }
    }

    @Test
    void unknownMessageIsNotFoundWithMeshCode20() {
        try (MeshClient client = fixture.client("X26ABC2")) {
            assertThatThrownBy(() -> client.download("20240101000000000000_ABCDEF", java.io.OutputStream.nullOutputStream(), false))
                    .isInstanceOfSatisfying(MeshNotFoundException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(404);
                        assertThat(e.errorCode()).contains("20");
                    });
            assertThatThrownBy(() -> client.acknowledge("20240101000000000000_ABCDEF"))
                    .isInstanceOf(MeshNotFoundException.class);
        }
    }

    @Test
    void missingClientCertificateFailsTheTlsHandshake() {
        try (MeshClient client = fixture.clientBuilder("X26ABC1").tls(MeshTls.trusting(fixture.caBundle))
                .retryPolicy(RetryPolicy.none()).build()) {
            assertThatThrownBy(client::handshake).isInstanceOfSatisfying(MeshTlsException.class, e -> {
                assertThat(e.httpStatus()).isZero();
                assertThat(e.isRetryable()).isFalse();
            });
        }
    }

    @Test
    void untrustedServerCertificateFailsTheTlsHandshake() {
        try (MeshClient client = fixture.clientBuilder("X26ABC1")
                .tls(MeshTls.fromPem(fixture.certificates.clientCertificate("X26ABC1"), fixture.certificates.clientKey("X26ABC1"),
                        SandboxFixture.PASSPHRASE.toCharArray(), null))
                .build()) {
            assertThatThrownBy(client::handshake).isInstanceOf(MeshTlsException.class);
        }
    }

    @Test
    void chunkSizeOutsideMeshLimitsIsRefusedUpFront() {
        assertThatThrownBy(() -> MeshClient.builder().chunkSize(5 * 1024 * 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 MiB");
    }
}
