package meshgate.dps.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks that a record can be exported: required fields present, NHS number with its check digit, dates and codes in
 * their forms. Every problem of a record is reported, not only the first.
 */
public final class RecordValidator {
    private static final Set<String> GENDER_CODES = Set.of("0", "1", "2", "9");
    private static final Pattern ODS_CODE = Pattern.compile("[A-Z0-9]{3,10}");
    private static final Pattern SCHOOL_URN = Pattern.compile("\\d{6}");
    private static final Pattern POSTCODE = Pattern.compile("[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOSE_SEQUENCE = Pattern.compile("[1-9]");
    private static final List<String> REQUIRED = List.of("id", "programme", "action", "nhs_number", "person_forename",
            "person_surname", "person_dob", "person_gender_code", "person_postcode", "date_and_time", "site_code",
            "recorded_date", "primary_source", "vaccination_procedure_code", "vaccination_procedure_term");
    /** Codes and the term that must come with each. */
    private static final Map<String, String> CODED = Map.of(
            "vaccination_procedure_code", "vaccination_procedure_term",
            "vaccine_product_code", "vaccine_product_term",
            "site_of_vaccination_code", "site_of_vaccination_term",
            "route_of_vaccination_code", "route_of_vaccination_term",
            "dose_unit_code", "dose_unit_term");

    /** The problems that keep {@code record} out of an export; empty when it can be exported. */
    public List<String> problems(VaccinationRecord record) {
        List<String> problems = new ArrayList<>();
        for (String name : REQUIRED) {
            if (record.field(name).isEmpty()) {
                problems.add(name + " is required");
            }
        }
        record.fields().forEach((name, value) -> {
            if (value.chars().anyMatch(Character::isISOControl)) {
                problems.add(name + " contains a line break or control character");
            }
        });
        check(problems, record.id(), v -> isUuid(v), "id must be a UUID");
        check(problems, record.action(), v -> ActionFlag.parse(v).isPresent(), "action must be new, update or delete");
        check(problems, record.nhsNumber(), NhsNumber::isValid,
                "nhs_number must be 10 digits with a valid modulus 11 check digit");
        check(problems, record.personDob(), v -> RecordValues.date(v).isPresent(),
                "person_dob must be a date such as 2012-08-18");
        check(problems, record.personGenderCode(), GENDER_CODES::contains,
                "person_gender_code must be 0 (not known), 1 (male), 2 (female) or 9 (not specified)");
        check(problems, record.personPostcode(), v -> POSTCODE.matcher(v).matches(),
                "person_postcode must be a UK postcode such as LS1 4AP");
        check(problems, record.dateAndTime(), v -> RecordValues.dateTime(v).isPresent(),
                "date_and_time must be a date and time such as 2023-06-09T10:15:00");
        check(problems, record.siteCode(), v -> ODS_CODE.matcher(v).matches(),
                "site_code must be an ODS code (3 to 10 capital letters and digits)");
        check(problems, record.schoolUrn(), v -> SCHOOL_URN.matcher(v).matches(), "school_urn must be 6 digits");
        check(problems, record.recordedDate(), v -> RecordValues.date(v).isPresent(),
                "recorded_date must be a date such as 2023-06-09");
        check(problems, record.primarySource(), v -> RecordValues.bool(v).isPresent(),
                "primary_source must be true or false");
        check(problems, record.doseSequence(), v -> DOSE_SEQUENCE.matcher(v).matches(),
                "dose_sequence must be a whole number from 1 to 9");
        check(problems, record.expiryDate(), v -> RecordValues.date(v).isPresent(),
                "expiry_date must be a date such as 2025-07-01");
        check(problems, record.doseAmount(), v -> RecordValues.positiveDecimal(v).isPresent(),
                "dose_amount must be a positive number such as 0.5");
        check(problems, record.indicationCode(), SnomedCode::isValid, "indication_code must be a SNOMED CT code");
        CODED.forEach((code, term) -> {
            String value = record.field(code);
            check(problems, value, SnomedCode::isValid, code + " must be a SNOMED CT code (digits with a valid "
                    + "check digit), got '" + value + "'");
            if (!value.isEmpty() && record.field(term).isEmpty() && !problems.contains(term + " is required")) {
                problems.add(term + " is required with " + code);
            }
        });
        if (!record.doseAmount().isEmpty() && record.doseUnitCode().isEmpty()) {
            problems.add("dose_unit_code is required with dose_amount");
        }
        return problems;
    }

    /** The record as an {@link InvalidRecord} when it has problems. */
    public Optional<InvalidRecord> check(VaccinationRecord record) {
        List<String> problems = problems(record);
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new InvalidRecord(record.id().isEmpty() ? "(no id)" : record.id(),
                record.programme(), String.join("; ", problems)));
    }

    private static void check(List<String> problems, String value, Predicate<String> valid,
            String problem) {
        if (!value.isEmpty() && !valid.test(value)) {
            problems.add(problem);
        }
    }

    private static boolean isUuid(String value) {
        try {
            return value.length() == 36 && UUID.fromString(value).toString().equalsIgnoreCase(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
