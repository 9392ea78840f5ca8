package meshgate.dps.record;

import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks the field names a file or table offers: it must have an id column, and other names are only logged. */
final class SourceColumns {
    private static final Logger LOG = LoggerFactory.getLogger(SourceColumns.class);

    private SourceColumns() {
    }

    static void check(Collection<String> columns, String source) {
        if (columns.stream().noneMatch(c -> c.strip().equalsIgnoreCase("id"))
                || columns.stream().noneMatch(c -> c.strip().equalsIgnoreCase("programme"))) {
            throw new RecordSourceException(source + " has no id or programme column; its columns must be named as "
                    + "in " + VaccinationRecord.FIELDS + ", found " + columns);
        }
        List<String> unknown = columns.stream().filter(c -> !VaccinationRecord.isField(c)).toList();
        if (!unknown.isEmpty()) {
            LOG.warn("dps_source_columns_ignored source=\"{}\" columns={}", source, unknown);
        }
    }
}
