package meshgate.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The compression decision, case by case. */
class CompressionDecisionTest {
    private static final long THRESHOLD = 1000;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            below threshold                          | 999  |                  |                   |      | false | false
            at threshold                             | 1000 |                  |                   |      | false | true
            above threshold                          | 5000 |                  |                   |      | false | true
            forced on below threshold                | 10   | Y                |                   |      | false | true
            forced off above threshold               | 5000 | N                |                   |      | false | false
            already compressed payload               | 5000 |                  | Y                 |      | false | false
            forced on overrides already compressed   | 5000 | Y                | Y                 |      | false | true
            content-encoding present                 | 5000 |                  |                   | gzip | false | false
            forced on but already gzip-encoded       | 5000 | Y                |                   | gzip | false | false
            never_compress beats threshold           | 5000 |                  |                   |      | true  | false
            never_compress beats forced on           | 5000 | Y                |                   |      | true  | false
            """)
    void decides(String name, long size, String compress, String compressed, String encoding, boolean never,
            boolean expected) throws Exception {
        assertThat(CompressionDecision.compress(parameters(compress, compressed, encoding), size, THRESHOLD, never,
                () -> text(size))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            incompressible above threshold           | 200000 |   | false
            incompressible forced on                 | 200000 | Y | true
            incompressible below threshold, forced   | 10     | Y | true
            """)
    void contentThatDoesNotCompressIsSentAsItIsUnlessCompressionIsAsked(String name, long size, String compress,
            boolean expected) throws Exception {
        byte[] random = new byte[(int) size];
        new java.util.Random(size).nextBytes(random);
        assertThat(CompressionDecision.compress(parameters(compress, null, null), size, THRESHOLD, false,
                () -> bytes(random))).isEqualTo(expected);
    }

    private static meshgate.client.MessageContent text(long size) {
        byte[] csv = "nhs_number,vaccine,date\n9000000009,HPV,2026-11-30\n".repeat((int) (size / 40 + 1))
                .substring(0, (int) size).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return bytes(csv);
    }

    private static meshgate.client.MessageContent bytes(byte[] content) {
        return new meshgate.client.MessageContent() {
            @Override
            public long length() {
                return content.length;
            }

            @Override
            public java.io.InputStream open(long offset) {
                return new java.io.ByteArrayInputStream(content, (int) offset, content.length - (int) offset);
            }
        };
    }

    private static SendParameters parameters(String compress, String compressed, String encoding)
            throws UnsendableException {
        Map<String, String> metadata = new HashMap<>(Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC2",
                "mex-workflowid", "WF"));
        if (compress != null) {
            metadata.put("mex-content-compress", compress);
        }
        if (compressed != null) {
            metadata.put("mex-content-compressed", compressed);
        }
        if (encoding != null) {
            metadata.put("Content-Encoding", encoding);
        }
        return SendParameters.resolve("outbound/x", "x", metadata, List.of(), Set.of("X26ABC1"), false);
    }
}
