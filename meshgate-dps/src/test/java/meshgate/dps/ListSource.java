package meshgate.dps;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import meshgate.dps.record.VaccinationRecord;
import meshgate.dps.record.VaccinationRecordSource;

/** Records held in a list the test can change between runs. */
final class ListSource implements VaccinationRecordSource {
    final List<VaccinationRecord> records = new ArrayList<>();

    ListSource(List<VaccinationRecord> records) {
        this.records.addAll(records);
    }

    @Override
    public void read(String programme, Consumer<VaccinationRecord> consumer) {
        records.stream().filter(r -> r.programme().equalsIgnoreCase(programme)).forEach(consumer);
    }

    @Override
    public String describe() {
        return "list";
    }
}
