package meshgate.dps.record;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One vaccination event as the service recorded it, to be reported to DPS. Every value is text as the source holds
 * it ({@code ""} when absent, never null), so that a record a source cannot make sense of is still a record that
 * validation can report by id; {@link RecordValidator} says whether it can be exported. Dates are ISO
 * ({@code 2012-08-18}, or {@code 20120818}), the vaccination time ISO local date-time ({@code 2023-06-09T10:15:00}),
 * codes SNOMED CT identifiers. The {@link Builder} also takes typed values.
 *
 * <p>The names sources use for these fields (CSV header, JSON keys, table columns) are in {@link #FIELDS}: the
 * component names in snake_case, e.g. {@code nhs_number}, {@code person_dob}, {@code school_urn}.
 *
 * @param id the record's UUID, exported as UNIQUE_ID
 * @param programme the vaccination programme, e.g. {@code HPV} or {@code flu}; one export file per programme
 * @param action {@code new}, {@code update} or {@code delete} (ACTION_FLAG)
 * @param siteCode ODS code of the organisation that gave the vaccination (SITE_CODE)
 * @param schoolUrn the school's URN when given at a school; LOCATION_CODE is then the school, else the site
 */
public record VaccinationRecord(
        String id,
        String programme,
        String action,
        String nhsNumber,
        String personForename,
        String personSurname,
        String personDob,
        String personGenderCode,
        String personPostcode,
        String dateAndTime,
        String siteCode,
        String schoolUrn,
        String performingProfessionalForename,
        String performingProfessionalSurname,
        String recordedDate,
        String primarySource,
        String vaccinationProcedureCode,
        String vaccinationProcedureTerm,
        String doseSequence,
        String vaccineProductCode,
        String vaccineProductTerm,
        String vaccineManufacturer,
        String batchNumber,
        String expiryDate,
        String siteOfVaccinationCode,
        String siteOfVaccinationTerm,
        String routeOfVaccinationCode,
        String routeOfVaccinationTerm,
        String doseAmount,
        String doseUnitCode,
        String doseUnitTerm,
        String indicationCode) {

    /** Each field's source name (snake_case) and how to read it, in component order. */
    private static final Map<String, Function<VaccinationRecord, String>> GETTERS = getters();

    /** The field names sources use, in component order. */
    public static final List<String> FIELDS = List.copyOf(GETTERS.keySet());

    public VaccinationRecord {
        id = clean(id);
        programme = clean(programme);
        action = clean(action);
        nhsNumber = clean(nhsNumber);
        personForename = clean(personForename);
        personSurname = clean(personSurname);
        personDob = clean(personDob);
        personGenderCode = clean(personGenderCode);
        personPostcode = clean(personPostcode);
        dateAndTime = clean(dateAndTime);
        siteCode = clean(siteCode);
        schoolUrn = clean(schoolUrn);
        performingProfessionalForename = clean(performingProfessionalForename);
        performingProfessionalSurname = clean(performingProfessionalSurname);
        recordedDate = clean(recordedDate);
        primarySource = clean(primarySource);
        vaccinationProcedureCode = clean(vaccinationProcedureCode);
        vaccinationProcedureTerm = clean(vaccinationProcedureTerm);
        doseSequence = clean(doseSequence);
        vaccineProductCode = clean(vaccineProductCode);
        vaccineProductTerm = clean(vaccineProductTerm);
        vaccineManufacturer = clean(vaccineManufacturer);
        batchNumber = clean(batchNumber);
        expiryDate = clean(expiryDate);
        siteOfVaccinationCode = clean(siteOfVaccinationCode);
        siteOfVaccinationTerm = clean(siteOfVaccinationTerm);
        routeOfVaccinationCode = clean(routeOfVaccinationCode);
        routeOfVaccinationTerm = clean(routeOfVaccinationTerm);
        doseAmount = clean(doseAmount);
        doseUnitCode = clean(doseUnitCode);
        doseUnitTerm = clean(doseUnitTerm);
        indicationCode = clean(indicationCode);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A record from named values, as a file or table row holds them; names are matched without regard to case, and
     * names not in {@link #FIELDS} are ignored.
     */
    public static VaccinationRecord fromFields(Map<String, String> values) {
        Builder b = builder();
        values.forEach((name, value) -> b.set(name.trim().toLowerCase(Locale.ROOT), value));
        return b.build();
    }

    /** True when {@code name} (any case) is one of {@link #FIELDS}. */
    public static boolean isField(String name) {
        return GETTERS.containsKey(name.trim().toLowerCase(Locale.ROOT));
    }

    /** The value of the field a source calls {@code name}. */
    public String field(String name) {
        Function<VaccinationRecord, String> getter = GETTERS.get(name);
        if (getter == null) {
            throw new IllegalArgumentException("no field " + name);
        }
        return getter.apply(this);
    }

    /** Every field by its source name, in {@link #FIELDS} order. */
    public Map<String, String> fields() {
        Map<String, String> values = new LinkedHashMap<>();
        GETTERS.forEach((name, getter) -> values.put(name, getter.apply(this)));
        return values;
    }

    private static String clean(String value) {
        return value == null ? "" : value.strip();
    }

    private static Map<String, Function<VaccinationRecord, String>> getters() {
        Map<String, Function<VaccinationRecord, String>> g = new LinkedHashMap<>();
        g.put("id", VaccinationRecord::id);
        g.put("programme", VaccinationRecord::programme);
        g.put("action", VaccinationRecord::action);
        g.put("nhs_number", VaccinationRecord::nhsNumber);
        g.put("person_forename", VaccinationRecord::personForename);
        g.put("person_surname", VaccinationRecord::personSurname);
        g.put("person_dob", VaccinationRecord::personDob);
        g.put("person_gender_code", VaccinationRecord::personGenderCode);
        g.put("person_postcode", VaccinationRecord::personPostcode);
        g.put("date_and_time", VaccinationRecord::dateAndTime);
        g.put("site_code", VaccinationRecord::siteCode);
        g.put("school_urn", VaccinationRecord::schoolUrn);
        g.put("performing_professional_forename", VaccinationRecord::performingProfessionalForename);
        g.put("performing_professional_surname", VaccinationRecord::performingProfessionalSurname);
        g.put("recorded_date", VaccinationRecord::recordedDate);
        g.put("primary_source", VaccinationRecord::primarySource);
        g.put("vaccination_procedure_code", VaccinationRecord::vaccinationProcedureCode);
        g.put("vaccination_procedure_term", VaccinationRecord::vaccinationProcedureTerm);
        g.put("dose_sequence", VaccinationRecord::doseSequence);
        g.put("vaccine_product_code", VaccinationRecord::vaccineProductCode);
        g.put("vaccine_product_term", VaccinationRecord::vaccineProductTerm);
        g.put("vaccine_manufacturer", VaccinationRecord::vaccineManufacturer);
        g.put("batch_number", VaccinationRecord::batchNumber);
        g.put("expiry_date", VaccinationRecord::expiryDate);
        g.put("site_of_vaccination_code", VaccinationRecord::siteOfVaccinationCode);
        g.put("site_of_vaccination_term", VaccinationRecord::siteOfVaccinationTerm);
        g.put("route_of_vaccination_code", VaccinationRecord::routeOfVaccinationCode);
        g.put("route_of_vaccination_term", VaccinationRecord::routeOfVaccinationTerm);
        g.put("dose_amount", VaccinationRecord::doseAmount);
        g.put("dose_unit_code", VaccinationRecord::doseUnitCode);
        g.put("dose_unit_term", VaccinationRecord::doseUnitTerm);
        g.put("indication_code", VaccinationRecord::indicationCode);
        return g;
    }

    /** Builds a record field by field; unset fields are empty. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the field a source calls {@code name} (see {@link #FIELDS}); unknown names are ignored. */
        public Builder set(String name, String value) {
            if (GETTERS.containsKey(name)) {
                values.put(name, value);
            }
            return this;
        }

        public Builder id(String value) {
            return set("id", value);
        }

        public Builder programme(String value) {
            return set("programme", value);
        }

        public Builder action(ActionFlag value) {
            return set("action", value.text());
        }

        public Builder nhsNumber(String value) {
            return set("nhs_number", value);
        }

        public Builder person(String forename, String surname, LocalDate dateOfBirth, String genderCode,
                String postcode) {
            return set("person_forename", forename).set("person_surname", surname)
                    .set("person_dob", text(dateOfBirth)).set("person_gender_code", genderCode)
                    .set("person_postcode", postcode);
        }

        public Builder vaccinatedAt(LocalDateTime value) {
            return set("date_and_time", value == null ? null : value.toString());
        }

        public Builder siteCode(String odsCode) {
            return set("site_code", odsCode);
        }

        public Builder schoolUrn(String value) {
            return set("school_urn", value);
        }

        public Builder performingProfessional(String forename, String surname) {
            return set("performing_professional_forename", forename)
                    .set("performing_professional_surname", surname);
        }

        public Builder recordedDate(LocalDate value) {
            return set("recorded_date", text(value));
        }

        public Builder primarySource(boolean value) {
            return set("primary_source", Boolean.toString(value));
        }

        public Builder procedure(String snomedCode, String term) {
            return set("vaccination_procedure_code", snomedCode).set("vaccination_procedure_term", term);
        }

        public Builder doseSequence(int value) {
            return set("dose_sequence", Integer.toString(value));
        }

        public Builder product(String snomedCode, String term, String manufacturer) {
            return set("vaccine_product_code", snomedCode).set("vaccine_product_term", term)
                    .set("vaccine_manufacturer", manufacturer);
        }

        public Builder batch(String number, LocalDate expiry) {
            return set("batch_number", number).set("expiry_date", text(expiry));
        }

        public Builder siteOfVaccination(String snomedCode, String term) {
            return set("site_of_vaccination_code", snomedCode).set("site_of_vaccination_term", term);
        }

        public Builder routeOfVaccination(String snomedCode, String term) {
            return set("route_of_vaccination_code", snomedCode).set("route_of_vaccination_term", term);
        }

        public Builder dose(String amount, String unitSnomedCode, String unitTerm) {
            return set("dose_amount", amount).set("dose_unit_code", unitSnomedCode).set("dose_unit_term", unitTerm);
        }

        public Builder indicationCode(String snomedCode) {
            return set("indication_code", snomedCode);
        }

        public VaccinationRecord build() {
            return new VaccinationRecord(v("id"), v("programme"), v("action"), v("nhs_number"), v("person_forename"),
                    v("person_surname"), v("person_dob"), v("person_gender_code"), v("person_postcode"),
                    v("date_and_time"), v("site_code"), v("school_urn"), v("performing_professional_forename"),
                    v("performing_professional_surname"), v("recorded_date"), v("primary_source"),
                    v("vaccination_procedure_code"), v("vaccination_procedure_term"), v("dose_sequence"),
                    v("vaccine_product_code"), v("vaccine_product_term"), v("vaccine_manufacturer"),
                    v("batch_number"), v("expiry_date"), v("site_of_vaccination_code"), v("site_of_vaccination_term"),
                    v("route_of_vaccination_code"), v("route_of_vaccination_term"), v("dose_amount"),
                    v("dose_unit_code"), v("dose_unit_term"), v("indication_code"));
        }

        private String v(String name) {
            return values.get(name);
        }

        private static String text(LocalDate date) {
            return date == null ? null : date.toString();
        }
    }
}
