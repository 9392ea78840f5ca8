package meshgate.dps.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnomedCodeTest {
    @Test
    void acceptsRealConceptAndProductIds() {
        assertThat(SnomedCode.isValid("258773002")).as("millilitre").isTrue();
        assertThat(SnomedCode.isValid("368208006")).as("left upper arm").isTrue();
        assertThat(SnomedCode.isValid("78421000")).as("intramuscular route").isTrue();
        assertThat(SnomedCode.isValid("761841000")).as("HPV vaccination").isTrue();
        assertThat(SnomedCode.isValid("33493111000001108")).as("dm+d product id").isTrue();
    }

    @Test
    void rejectsAMistypedCodeAndOtherForms() {
        assertThat(SnomedCode.isValid("258773003")).isFalse();
        assertThat(SnomedCode.isValid("258737002")).isFalse();
        assertThat(SnomedCode.isValid("12345")).isFalse();
        assertThat(SnomedCode.isValid("0258773002")).isFalse();
        assertThat(SnomedCode.isValid("25877300A")).isFalse();
    }
}
