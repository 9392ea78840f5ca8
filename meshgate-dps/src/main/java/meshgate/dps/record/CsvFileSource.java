package meshgate.dps.record;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Records from a CSV file (UTF-8, comma-separated, RFC 4180 quoting) whose header row names the fields as in
 * {@link VaccinationRecord#FIELDS}, in any order and case; columns with other names are ignored. The file is read
 * again, row by row, for each programme.
 */
public final class CsvFileSource implements VaccinationRecordSource {
    private static final CsvMapper CSV = new CsvMapper();

    private final Path file;

    public CsvFileSource(Path file) {
        this.file = Objects.requireNonNull(file);
    }

    @Override
    public void read(String programme, Consumer<VaccinationRecord> consumer) {
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class).with(schema)
                        .readValues(reader)) {
            boolean first = true;
            while (rows.hasNextValue()) {
                Map<String, String> row = rows.nextValue();
                if (first) {
                    SourceColumns.check(row.keySet(), describe());
                    first = false;
                }
                VaccinationRecord record = VaccinationRecord.fromFields(row);
                if (record.programme().equalsIgnoreCase(programme)) {
                    consumer.accept(record);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RecordSourceException known) {
                throw known;
            }
            throw new RecordSourceException("cannot read " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "CSV file " + file;
    }
}
