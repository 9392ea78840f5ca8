package meshgate.dps.record;

import java.util.function.Consumer;

/**
 * Where vaccination records come from: the application's own store. Implement it, or use {@link CsvFileSource},
 * {@link JsonFileSource} or {@link JdbcTableSource}. A source hands over every record it has, sent or not: the export
 * ledger remembers which records MESH has already accepted, so a source needs no "exported" flag of its own.
 */
public interface VaccinationRecordSource {
    /**
     * Hands each record of {@code programme} to {@code consumer}, in the order they belong in the export file, one at
     * a time so that memory stays bounded. Records are handed over as they are, valid or not.
     *
     * @throws RecordSourceException when the records cannot be read
     */
    void read(String programme, Consumer<VaccinationRecord> consumer);

    /** What this source reads, for logs: a file path or a table. */
    String describe();
}
