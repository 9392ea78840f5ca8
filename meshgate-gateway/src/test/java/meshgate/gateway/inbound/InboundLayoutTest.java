package meshgate.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import meshgate.client.MessageMetadata;
import meshgate.gateway.store.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InboundLayoutTest {
    private static final MessageMetadata DATA = new MessageMetadata(Map.of("mex-messagetype", "DATA",
            "mex-filename", "../../etc/report.csv"));
    private static final MessageMetadata REPORT = new MessageMetadata(Map.of("mex-messagetype", "REPORT"));

    @Test
    void storesByMessageIdWithCtlForReports() {
        InboundLayout layout = new InboundLayout(false, false, Map.of());
        assertThat(layout.key("X26ABC1", "ID1", DATA)).isEqualTo("inbound/X26ABC1/ID1.dat");
        assertThat(layout.key("X26ABC1", "ID2", REPORT)).isEqualTo("inbound/X26ABC1/ID2.ctl");
    }

    @Test
    void usesTheSendersFileNameCutToItsLastSegment() {
        InboundLayout layout = new InboundLayout(true, false, Map.of());
        assertThat(layout.key("X26ABC1", "ID1", DATA)).isEqualTo("inbound/X26ABC1/report.csv");
        assertThat(layout.key("X26ABC1", "ID2", REPORT)).as("reports keep their id").isEqualTo("inbound/X26ABC1/ID2.ctl");
        assertThat(layout.disambiguated("inbound/X26ABC1/report.csv", "ID9")).isEqualTo("inbound/X26ABC1/ID9_report.csv");
    }

    @Test
    void fallsBackToTheMessageIdWhenTheSendersNameIsTooLongInBytes() {
        InboundLayout layout = new InboundLayout(true, false, Map.of());
        String id = "20261130101500123456_ABCDEF";
        MessageMetadata accented = new MessageMetadata(Map.of("mex-messagetype", "DATA", "mex-filename",
                "é".repeat(130)));
        assertThat(layout.key("X26ABC1", id, accented)).as("130 characters, 260 bytes")
                .isEqualTo("inbound/X26ABC1/" + id + ".dat");

        String longest = "a".repeat(ObjectStore.MAX_NAME_BYTES - id.length() - 1);
        MessageMetadata fits = new MessageMetadata(Map.of("mex-messagetype", "DATA", "mex-filename", longest));
        String key = layout.key("X26ABC1", id, fits);
        assertThat(key).isEqualTo("inbound/X26ABC1/" + longest);
        assertThat(layout.disambiguated(key, id).substring("inbound/X26ABC1/".length())
                .getBytes(StandardCharsets.UTF_8)).hasSize(ObjectStore.MAX_NAME_BYTES);
        MessageMetadata oneMore = new MessageMetadata(Map.of("mex-messagetype", "DATA", "mex-filename",
                longest + "b"));
        assertThat(layout.key("X26ABC1", id, oneMore)).isEqualTo("inbound/X26ABC1/" + id + ".dat");
    }

    @Test
    void legacyLocationUsesEachMailboxsFolder() {
        InboundLayout layout = new InboundLayout(false, true, Map.of("X26ABC1", "/legacy/in/"));
        assertThat(layout.key("X26ABC1", "ID1", DATA)).isEqualTo("legacy/in/ID1.dat");
        assertThatThrownBy(() -> layout.folder("X26ABC2")).hasMessageContaining("inbound_folder");
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            report.csv                 | report.csv
            ../../etc/passwd           | passwd
            /etc/shadow                | shadow
            ..\\\\..\\\\win.ini        | win.ini
            a/b/../c.txt               | c.txt
            ..                         | NONE
            .                          | NONE
            .hidden                    | NONE
            dir/                       | NONE
            x.meta.json                | NONE
            C:evil.txt                 | Cevil.txt
            """)
    void sanitisesSenderFileNames(String given, String expected) {
        assertThat(InboundLayout.sanitise(given).orElse(null)).isEqualTo(expected);
    }

    @Test
    void removesControlCharactersAndNul() {
        assertThat(InboundLayout.sanitise("re\u0000po\nrt.csv")).contains("report.csv");
        assertThat(InboundLayout.sanitise("\u0000\u0001")).isEmpty();
    }
}
