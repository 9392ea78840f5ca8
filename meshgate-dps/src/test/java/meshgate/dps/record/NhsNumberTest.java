package meshgate.dps.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NhsNumberTest {
    @Test
    void acceptsANumberWithTheRightCheckDigit() {
        assertThat(NhsNumber.isValid("9434765919")).isTrue();
        assertThat(NhsNumber.isValid("4857773457")).isTrue();
        assertThat(NhsNumber.isValid("4010232137")).isTrue();
    }

    @Test
    void rejectsAWrongCheckDigit() {
        assertThat(NhsNumber.isValid("9434765918")).isFalse();
        assertThat(NhsNumber.isValid("9434765910")).isFalse();
    }

    @Test
    void rejectsEveryNumberWhoseCheckDigitWouldBeTen() {
        for (int last = 0; last <= 9; last++) {
            assertThat(NhsNumber.isValid("123456789" + last)).as("123456789" + last).isFalse();
        }
    }

    @Test
    void rejectsWrongLengthsAndNonDigits() {
        assertThat(NhsNumber.isValid("943476591")).isFalse();
        assertThat(NhsNumber.isValid("94347659190")).isFalse();
        assertThat(NhsNumber.isValid("943 476 5919")).isFalse();
        assertThat(NhsNumber.isValid("94347659I9")).isFalse();
        assertThat(NhsNumber.isValid("")).isFalse();
        assertThat(NhsNumber.isValid(null)).isFalse();
    }
}
