package meshgate.dps.export;

import java.util.List;
import meshgate.dps.record.InvalidRecord;

/** The outcome of one export run: one entry per programme, and every record left out as invalid. */
public record ExportRun(List<ProgrammeExport> programmes, List<InvalidRecord> invalidRecords) {
    public ExportRun {
        programmes = List.copyOf(programmes);
        invalidRecords = List.copyOf(invalidRecords);
    }

    public List<ProgrammeExport> sent() {
        return programmes.stream().filter(p -> p.outcome() == ProgrammeExport.Outcome.SENT).toList();
    }

    public List<ProgrammeExport> failed() {
        return programmes.stream().filter(p -> p.outcome() == ProgrammeExport.Outcome.FAILED).toList();
    }

    /** Programmes whose file MESH may or may not have taken: their exports stay pending for the next run. */
    public List<ProgrammeExport> pending() {
        return programmes.stream().filter(p -> p.outcome() == ProgrammeExport.Outcome.PENDING).toList();
    }
}
