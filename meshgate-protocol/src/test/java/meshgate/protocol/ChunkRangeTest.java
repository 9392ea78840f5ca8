package meshgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkRangeTest {
    @Test
    void aReportsAnsweredRangeOfNoChunksReadsAsOneChunk() {
        assertThat(ChunkRange.parseAnswered("1:0")).isEqualTo(ChunkRange.single());
        assertThat(ChunkRange.parseAnswered("2:3")).isEqualTo(new ChunkRange(2, 3));
    }

    @Test
    void aRangeToSendMustHaveAtLeastOneChunk() {
        assertThatThrownBy(() -> ChunkRange.parse("1:0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkRange.parseAnswered("2:0")).isInstanceOf(IllegalArgumentException.class);
    }
}
