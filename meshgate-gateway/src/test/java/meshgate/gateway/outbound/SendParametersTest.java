package meshgate.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import meshgate.gateway.config.OutboundMapping;
import org.junit.jupiter.api.Test;

class SendParametersTest {
    private static final Set<String> OWN = Set.of("X26ABC1");

    @Test
    void decodesQuotePlusAndIgnoresCase() throws UnsendableException {
        SendParameters p = SendParameters.resolve("outbound/a.csv", "a.csv", Map.of("MEX-FROM", "x26abc1",
                "Mex-To", "X26ABC2", "mex-workflowID", "WF", "mex-subject", "my+super+subject+%24%C2%A3%25"),
                List.of(), OWN, false);
        assertThat(p.from()).isEqualTo("X26ABC1");
        assertThat(p.subject()).contains("my super subject $£%");
        assertThat(p.fileName()).as("the key's name is not sent unless configured").isEmpty();
        assertThat(SendParameters.resolve("outbound/a.csv", "a.csv", Map.of("mex-from", "X26ABC1", "mex-to", "B",
                "mex-workflowid", "WF"), List.of(), OWN, true).fileName()).contains("a.csv");
    }

    @Test
    void fallsBackToTheFirstMatchingMapping() throws UnsendableException {
        List<OutboundMapping> mappings = List.of(new OutboundMapping("outbound/other/", "X26ABC1", "X26ZZZ1", "NO"),
                new OutboundMapping("outbound/dps/", "X26ABC1", "X26ABC2", "DPS_WF"));
        SendParameters p = SendParameters.resolve("outbound/dps/2024/a.csv", "a.csv", Map.of(), mappings, OWN, false);
        assertThat(p.to()).isEqualTo("X26ABC2");
        assertThat(p.workflowId()).isEqualTo("DPS_WF");
    }

    @Test
    void refusesWhatCannotBeSentWithAReason() {
        assertThatThrownBy(() -> SendParameters.resolve("outbound/a", "a", Map.of("mex-from", "X26ABC1",
                "mex-workflowid", "WF"), List.of(), OWN, false)).hasMessageContaining("missing recipient");
        assertThatThrownBy(() -> SendParameters.resolve("outbound/a", "a", Map.of("mex-from", "X26ABC1",
                "mex-to", "B", "mex-workflowid", "WF", "mex-subject", "100%zz"), List.of(), OWN, false))
                .hasMessageContaining("cannot be URL-decoded");
        assertThatThrownBy(() -> SendParameters.resolve("outbound/a", "a", Map.of("mex-from", "X26ABC1",
                "mex-to", "B", "mex-workflowid", "WF", "mex-localid", "%E2%82"), List.of(), OWN, false))
                .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> SendParameters.resolve("outbound/a", "a", Map.of("mex-from", "X26ABC1",
                "mex-to", "B", "mex-workflowid", "WF", "mex-subject", "s".repeat(501)), List.of(), OWN, false))
                .hasMessageContaining("at most 500");
        assertThatThrownBy(() -> SendParameters.resolve("outbound/a", "a", Map.of("mex-from", "X26XXX9",
                "mex-to", "B", "mex-workflowid", "WF"), List.of(), OWN, false))
                .hasMessageContaining("not a mailbox of this gateway");
        assertThatThrownBy(() -> SendParameters.resolve("outbound/a", "a", Map.of("mex-from", "X26ABC1",
                "mex-to", "B", "MEX-TO", "C", "mex-workflowid", "WF"), List.of(), OWN, false))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> SendParameters.resolve("outbound/a", "a", Map.of(), List.of(), OWN, false))
                .hasMessageContaining("no outbound mapping");
    }
}
