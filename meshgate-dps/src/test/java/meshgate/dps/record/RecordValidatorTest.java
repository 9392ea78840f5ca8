package meshgate.dps.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordValidatorTest {
    private final RecordValidator validator = new RecordValidator();

    static VaccinationRecord valid() {
        return VaccinationRecord.builder()
                .id("0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e01")
                .programme("HPV")
                .action(ActionFlag.NEW)
                .nhsNumber("9434765919")
                .person("Anne", "Smith", LocalDate.of(2012, 8, 18), "2", "LS1 4AP")
                .vaccinatedAt(LocalDateTime.of(2024, 8, 22, 10, 15))
                .siteCode("R1L")
                .recordedDate(LocalDate.of(2024, 8, 22))
                .primarySource(true)
                .procedure("761841000", "Administration of vaccine product containing only Human papillomavirus "
                        + "antigen (procedure)")
                .dose("0.5", "258773002", "Milliliter (qualifier value)")
                .build();
    }

    @Test
    void aCompleteRecordHasNoProblems() {
        assertThat(validator.problems(valid())).isEmpty();
        assertThat(validator.check(valid())).isEmpty();
    }

    @Test
    void reportsABadNhsNumberCheckDigit() {
        assertThat(validator.problems(with("nhs_number", "9434765918")))
                .containsExactly("nhs_number must be 10 digits with a valid modulus 11 check digit");
    }

    @Test
    void reportsEveryMissingRequiredField() {
        assertThat(validator.problems(with("person_surname", "")))
                .containsExactly("person_surname is required");
        assertThat(validator.check(VaccinationRecord.builder().programme("HPV").build()).orElseThrow())
                .satisfies(invalid -> {
                    assertThat(invalid.id()).isEqualTo("(no id)");
                    assertThat(invalid.reason()).contains("id is required", "nhs_number is required",
                            "vaccination_procedure_term is required");
                });
    }

    @Test
    void reportsBadCodeAndValueFormats() {
        assertThat(validator.problems(with("vaccination_procedure_code", "761841001"))).containsExactly(
                "vaccination_procedure_code must be a SNOMED CT code (digits with a valid check digit), got "
                        + "'761841001'");
        assertThat(validator.problems(with("site_code", "r1l!"))).singleElement().asString().startsWith("site_code");
        assertThat(validator.problems(with("action", "insert"))).containsExactly(
                "action must be new, update or delete");
        assertThat(validator.problems(with("person_dob", "18/08/2012"))).singleElement().asString()
                .startsWith("person_dob");
        assertThat(validator.problems(with("person_gender_code", "F"))).singleElement().asString()
                .startsWith("person_gender_code");
        assertThat(validator.problems(with("id", "42"))).containsExactly("id must be a UUID");
        assertThat(validator.problems(with("dose_unit_term", ""))).containsExactly(
                "dose_unit_term is required with dose_unit_code");
        assertThat(validator.problems(with("person_forename", "Anne\nMarie"))).containsExactly(
                "person_forename contains a line break or control character");
    }

    private static VaccinationRecord with(String field, String value) {
        Map<String, String> fields = valid().fields();
        fields.put(field, value);
        return VaccinationRecord.fromFields(fields);
    }
}
