package meshgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthTokenTest {
    private static final Instant NOW = Instant.parse("2024-08-23T09:41:30Z");

    @Test
    void hmacIsLowerCaseHexSha256OfTheDocumentedString() {
        AuthToken token = AuthToken.create("X26ABC1", "password", "TestKey", "abc", 1, NOW);

        // Computed independently: printf 'X26ABC1:abc:1:password:202408230941' | openssl dgst -sha256 -hmac TestKey
        assertThat(token.timestamp()).isEqualTo("202408230941");
        assertThat(token.hmac()).isEqualTo("e7a204a86ddcacc048dbba8c1a1f772bc51d49a27015c55e6c5ce0cd11af9c10");
        assertThat(token.hmac()).matches("[0-9a-f]{64}");
        assertThat(token.header()).isEqualTo("NHSMESH X26ABC1:abc:1:202408230941:" + token.hmac());
    }

    @Test
    void parsedTokenMatchesOnlyTheRightPasswordAndKey() {
        AuthToken token = AuthToken.parse(AuthToken.create("X26ABC1", "password", "TestKey", "n", 7, NOW).header());

        assertThat(token.mailbox()).isEqualTo("X26ABC1");
        assertThat(token.nonceCount()).isEqualTo("7");
        assertThat(token.instant()).isEqualTo(Instant.parse("2024-08-23T09:41:00Z"));
        assertThat(token.matches("password", "TestKey")).isTrue();
        assertThat(token.matches("wrong", "TestKey")).isFalse();
        assertThat(token.matches("password", "OtherKey")).isFalse();
    }

    @Test
    void rejectsMalformedHeaders() {
        assertThatThrownBy(() -> AuthToken.parse(null)).hasMessageContaining("missing");
        assertThatThrownBy(() -> AuthToken.parse("Basic abc")).hasMessageContaining("scheme");
        assertThatThrownBy(() -> AuthToken.parse("NHSMESH a:b:c:d")).hasMessageContaining("5");
        assertThatThrownBy(() -> AuthToken.parse("NHSMESH a::c:d:e")).hasMessageContaining("empty");
    }

    @Test
    void chunkRangeParsesAndRejects() {
        assertThat(ChunkRange.parse("2:5")).isEqualTo(new ChunkRange(2, 5));
        assertThat(ChunkRange.parse("5:5").isLast()).isTrue();
        assertThatThrownBy(() -> ChunkRange.parse("6:5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkRange.parse("x")).isInstanceOf(IllegalArgumentException.class);
    }
}
