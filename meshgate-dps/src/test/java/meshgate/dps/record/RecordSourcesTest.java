package meshgate.dps.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshgate.dps.export.ExportFileWriter;
import meshgate.gateway.config.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each ready-made source, reading the same records, yields exactly the golden export file. */
class RecordSourcesTest {
    static final String UNIQUE_ID_URI = "https://vaccinations.example.nhs.uk/vaccination-records";

    @TempDir
    Path dir;

    @Test
    void csvFileSourceProducesTheGoldenFile() throws Exception {
        assertThat(export(new CsvFileSource(resource("records.csv")))).isEqualTo(golden());
    }

    @Test
    void jsonFileSourceProducesTheGoldenFile() throws Exception {
        assertThat(export(new JsonFileSource(resource("records.json")))).isEqualTo(golden());
    }

    @Test
    void jdbcTableSourceWithTypedColumnsProducesTheGoldenFile() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("app") + ";USER=app;PASSWORD=secret";
        List<VaccinationRecord> records = read(new JsonFileSource(resource("records.json")), "HPV");
        records.addAll(read(new JsonFileSource(resource("records.json")), "flu"));
        try (Connection db = DriverManager.getConnection(url)) {
            createTable(db, records);
        }

        JdbcTableSource source = new JdbcTableSource("jdbc:h2:file:" + dir.resolve("app"), "app",
                Secret.literal("secret"), "vaccination_records");

        assertThat(export(source)).isEqualTo(golden());
        assertThat(read(source, "FLU")).extracting(VaccinationRecord::id)
                .containsExactly("5f0c7f7e-8d7e-4a51-a7c4-6b1f0e2d3c04");
        assertThat(source.describe()).doesNotContain("secret");
    }

    @Test
    void sourcesHandOverOnlyTheRecordsOfTheProgrammeAsked() {
        assertThat(read(new CsvFileSource(resource("records.csv")), "flu")).singleElement()
                .satisfies(r -> assertThat(r.personSurname()).isEqualTo("Khan"));
        assertThat(read(new JsonFileSource(resource("records.json")), "MenACWY")).isEmpty();
    }

    @Test
    void aFileWithoutAnIdColumnIsRefused() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "nhs,programme\n9434765919,HPV\n");

        assertThatThrownBy(() -> read(new CsvFileSource(csv), "HPV")).isInstanceOf(RecordSourceException.class)
                .hasMessageContaining("no id or programme column");
        assertThatThrownBy(() -> read(new CsvFileSource(dir.resolve("missing.csv")), "HPV"))
                .isInstanceOf(RecordSourceException.class).hasMessageContaining("missing.csv");
    }

    static byte[] export(VaccinationRecordSource source) throws IOException {
        StringWriter out = new StringWriter();
        ExportFileWriter writer = new ExportFileWriter(out, UNIQUE_ID_URI);
        writer.writeHeader();
        RecordValidator validator = new RecordValidator();
        for (VaccinationRecord record : read(source, "HPV")) {
            assertThat(validator.problems(record)).as(record.id()).isEmpty();
            writer.write(record);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<VaccinationRecord> read(VaccinationRecordSource source, String programme) {
        List<VaccinationRecord> records = new ArrayList<>();
        source.read(programme, records::add);
        return records;
    }

    static byte[] golden() throws IOException {
        return Files.readAllBytes(resource("golden/Vaccinations-HPV-2024-08-23.csv"));
    }

    static Path resource(String name) {
        try {
            return Path.of(RecordSourcesTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void createTable(Connection db, List<VaccinationRecord> records) throws SQLException {
        Map<String, String> types = Map.of("person_dob", "DATE", "date_and_time", "TIMESTAMP",
                "recorded_date", "DATE", "expiry_date", "DATE", "primary_source", "BOOLEAN",
                "dose_amount", "DECIMAL(6, 2)");
        StringBuilder columns = new StringBuilder("row_key INT AUTO_INCREMENT PRIMARY KEY");
        for (String field : VaccinationRecord.FIELDS) {
            columns.append(", ").append(field).append(' ').append(types.getOrDefault(field, "VARCHAR(500)"));
        }
        try (Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE vaccination_records (" + columns + ")");
        }
        String names = String.join(", ", VaccinationRecord.FIELDS);
        String marks = String.join(", ", VaccinationRecord.FIELDS.stream().map(f -> "?").toList());
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO vaccination_records (" + names + ") VALUES (" + marks + ")")) {
            for (VaccinationRecord record : records) {
                int i = 1;
                for (String field : VaccinationRecord.FIELDS) {
                    String value = record.field(field);
                    insert.setObject(i++, value.isEmpty() && types.containsKey(field) ? null : value);
                }
                insert.executeUpdate();
            }
        }
    }
}
