package meshgate.dps.export;

import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import meshgate.dps.record.ActionFlag;
import meshgate.dps.record.RecordValues;
import meshgate.dps.record.VaccinationRecord;

/**
 * Writes the DPS vaccination file: a header row, then one row per record; fields separated by {@code |}, every field
 * in double quotes with quotes inside doubled, empty values as {@code ""}, rows ended by {@code \n}. Dates are
 * {@code yyyyMMdd}, the vaccination time {@code yyyyMMdd'T'HHmmss} followed by {@code 00}.
 */
public final class ExportFileWriter {
    public static final List<String> COLUMNS = List.of("NHS_NUMBER", "PERSON_FORENAME", "PERSON_SURNAME",
            "PERSON_DOB", "PERSON_GENDER_CODE", "PERSON_POSTCODE", "DATE_AND_TIME", "SITE_CODE", "SITE_CODE_TYPE_URI",
            "UNIQUE_ID", "UNIQUE_ID_URI", "ACTION_FLAG", "PERFORMING_PROFESSIONAL_FORENAME",
            "PERFORMING_PROFESSIONAL_SURNAME", "RECORDED_DATE", "PRIMARY_SOURCE", "VACCINATION_PROCEDURE_CODE",
            "VACCINATION_PROCEDURE_TERM", "DOSE_SEQUENCE", "VACCINE_PRODUCT_CODE", "VACCINE_PRODUCT_TERM",
            "VACCINE_MANUFACTURER", "BATCH_NUMBER", "EXPIRY_DATE", "SITE_OF_VACCINATION_CODE",
            "SITE_OF_VACCINATION_TERM", "ROUTE_OF_VACCINATION_CODE", "ROUTE_OF_VACCINATION_TERM", "DOSE_AMOUNT",
            "DOSE_UNIT_CODE", "DOSE_UNIT_TERM", "INDICATION_CODE", "LOCATION_CODE", "LOCATION_CODE_TYPE_URI");
    public static final String ODS_ORGANISATION_URI = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String SCHOOL_URN_URI = "https://fhir.hl7.org.uk/Id/urn-school-number";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);

    private final Writer out;
    private final String uniqueIdUri;
    private long rows;

    /**
     * @param uniqueIdUri the URI naming this service's record ids (UNIQUE_ID_URI), e.g.
     *     {@code https://manage-vaccinations-in-schools.nhs.uk/vaccination-records}
     */
    public ExportFileWriter(Writer out, String uniqueIdUri) {
        this.out = out;
        this.uniqueIdUri = uniqueIdUri;
    }

    public void writeHeader() throws IOException {
        writeRow(COLUMNS);
    }

    /** Writes one record, which must be valid ({@link meshgate.dps.record.RecordValidator}). */
    public void write(VaccinationRecord r) throws IOException {
        boolean atSchool = !r.schoolUrn().isEmpty();
        writeRow(List.of(
                r.nhsNumber(),
                r.personForename(),
                r.personSurname(),
                date(r.personDob()),
                r.personGenderCode(),
                r.personPostcode(),
                RecordValues.dateTime(r.dateAndTime()).map(t -> t.format(DATE_TIME) + "00").orElseThrow(
                        () -> invalid(r, "date_and_time")),
                r.siteCode(),
                ODS_ORGANISATION_URI,
                r.id(),
                uniqueIdUri,
                ActionFlag.parse(r.action()).map(ActionFlag::text).orElseThrow(() -> invalid(r, "action")),
                r.performingProfessionalForename(),
                r.performingProfessionalSurname(),
                date(r.recordedDate()),
                RecordValues.bool(r.primarySource()).map(b -> b ? "TRUE" : "FALSE").orElseThrow(
                        () -> invalid(r, "primary_source")),
                r.vaccinationProcedureCode(),
                r.vaccinationProcedureTerm(),
                r.doseSequence(),
                r.vaccineProductCode(),
                r.vaccineProductTerm(),
                r.vaccineManufacturer(),
                r.batchNumber(),
                date(r.expiryDate()),
                r.siteOfVaccinationCode(),
                r.siteOfVaccinationTerm(),
                r.routeOfVaccinationCode(),
                r.routeOfVaccinationTerm(),
                r.doseAmount(),
                r.doseUnitCode(),
                r.doseUnitTerm(),
                r.indicationCode(),
                atSchool ? r.schoolUrn() : r.siteCode(),
                atSchool ? SCHOOL_URN_URI : ODS_ORGANISATION_URI));
        rows++;
    }

    /** Records written so far, the header not counted. */
    public long rows() {
        return rows;
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void writeRow(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write('|');
            }
            out.write('"');
            out.write(fields.get(i).replace("\"", "\"\""));
            out.write('"');
        }
        out.write('\n');
    }

    private static String date(String text) {
        return text.isEmpty() ? "" : RecordValues.date(text).map(DATE::format)
                .orElseThrow(() -> new IllegalArgumentException("not a date: '" + text + "'"));
    }

    private static IllegalArgumentException invalid(VaccinationRecord r, String field) {
        return new IllegalArgumentException("record " + r.id() + " has an invalid " + field);
    }
}
