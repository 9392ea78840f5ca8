package meshgate.dps.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import meshgate.client.DeliveryStatus;
import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.client.MeshIndeterminateException;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.client.OutboundMessage;
import meshgate.client.SendResult;
import meshgate.dps.record.InvalidRecord;
import meshgate.dps.record.RecordSourceException;
import meshgate.dps.record.RecordValidator;
import meshgate.dps.record.VaccinationRecord;
import meshgate.dps.record.VaccinationRecordSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each programme's unsent records to DPS: builds the file on disk, record by record, sends it to the DPS mailbox
 * through MESH (local id = export id) and records the export. Records count as sent only once MESH has accepted the
 * file, so a failed send leaves them for the next run; a send whose outcome is unknown leaves the export pending,
 * settled by the next run, so that a record is never sent twice. Invalid records are left out, logged and returned in
 * the {@link ExportRun}, run after run until they are fixed.
 */
public final class ExportJob {
    private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);

    private final VaccinationRecordSource source;
    private final ExportLedger ledger;
    private final MeshClient mesh;
    private final ExportSettings settings;
    private final Clock clock;
    private final RecordValidator validator = new RecordValidator();

    private final MeshGateMetrics metrics;

    public ExportJob(VaccinationRecordSource source, ExportLedger ledger, MeshClient mesh, ExportSettings settings,
            Clock clock, MeshGateMetrics metrics) {
        this.metrics = metrics;
        this.source = source;
        this.ledger = ledger;
        this.mesh = mesh;
        this.settings = settings;
        this.clock = clock;
    }

    /** Exports every configured programme now. */
    public ExportRun run() {
        settlePending();
        List<ProgrammeExport> results = new ArrayList<>();
        List<InvalidRecord> invalid = new ArrayList<>();
        for (String programme : settings.programmes()) {
            ProgrammeExport result = export(programme, invalid);
            if (result.outcome() == ProgrammeExport.Outcome.NOTHING_TO_SEND) {
                LOG.info("dps_export_nothing_to_send programme={}", programme);
            }
            results.add(result);
        }
        return new ExportRun(results, invalid);
    }

    /** The file name DPS expects: {@code Vaccinations-HPV-2024-08-23.csv}. */
    public static String filename(String programme, LocalDate date) {
        String name = programme.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return "Vaccinations-" + name + "-" + date + ".csv";
    }

    /** Identifies a record's content, so that a changed record is exported again and an unchanged one is not. */
    public static String fingerprint(VaccinationRecord record) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String value : record.fields().values()) {
                sha256.update(value.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private ProgrammeExport export(String programme, List<InvalidRecord> invalid) {
        Path file;
        try {
            Files.createDirectories(settings.workDir());
            file = Files.createTempFile(settings.workDir(), "dps-export-", ".csv.part");
        } catch (IOException e) {
            return failed(programme, null, "cannot create the export file in " + settings.workDir() + ": " + e);
        }
        DpsExport[] export = {null};
        try {
            try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                    StandardCharsets.UTF_8))) {
                ExportFileWriter writer = new ExportFileWriter(out, settings.uniqueIdUri());
                writer.writeHeader();
                source.read(programme, record -> {
                    Optional<InvalidRecord> problem = validator.check(record);
                    if (problem.isPresent()) {
                        invalid.add(problem.get());
                        LOG.warn("dps_record_invalid id={} programme={} reason=\"{}\"", problem.get().id(),
                                programme, problem.get().reason());
                        return;
                    }
                    String fingerprint = fingerprint(record);
                    if (ledger.isSentOrSending(record.id(), fingerprint)) {
                        return;
                    }
                    if (export[0] == null) {
                        export[0] = ledger.create(programme, filename(programme, LocalDate.now(clock.withZone(
                                settings.zone()))));
                    }
                    write(writer, record);
                    ledger.addRecord(export[0].id(), record.id(), fingerprint, (int) writer.rows());
                });
            }
            if (export[0] == null) {
                return new ProgrammeExport(programme, ProgrammeExport.Outcome.NOTHING_TO_SEND, Optional.empty(),
                        Optional.empty());
            }
            return send(export[0], file);
        } catch (IOException | UncheckedIOException | RecordSourceException e) {
            return failed(programme, export[0], e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("dps_export_file_not_deleted file={} reason=\"{}\"", file, e.getMessage());
            }
        }
    }

    private ProgrammeExport send(DpsExport export, Path file) {
        OutboundMessage message = message(export);
        try {
            SendResult sent = mesh.send(message, file);
            DpsExport accepted = ledger.accepted(export.id(), sent.messageId());
            LOG.info("dps_export_sent export_id={} programme={} filename={} records={} message_id={}", export.id(),
                    export.programme(), export.filename(), accepted.recordCount(), sent.messageId());
            metrics.dpsExport(export.programme(), true);
            return new ProgrammeExport(export.programme(), ProgrammeExport.Outcome.SENT, Optional.of(accepted),
                    Optional.empty());
        } catch (MeshException e) {
            return mayHaveReachedMesh(e) ? leftPending(export, describe(e)) : failed(export.programme(), export,
                    describe(e));
        }
    }

    /**
     * Whether MESH may hold the file after this failure: an unknown outcome, or a failure that says nothing about
     * MESH's side (no answer, 5xx), which may have come after MESH completed the message. Sending the records again
     * then could deliver them twice, so the export waits for {@link #settlePending} to ask MESH.
     */
    private static boolean mayHaveReachedMesh(MeshException e) {
        return e instanceof MeshIndeterminateException || e.isRetryable();
    }

    private ProgrammeExport leftPending(DpsExport export, String reason) {
        metrics.dpsExport(export.programme(), false);
        LOG.warn("dps_export_outcome_unknown export_id={} programme={} filename={} reason=\"{}\" "
                + "note=\"left pending; the next run asks MESH by local id\"", export.id(), export.programme(),
                export.filename(), reason);
        return new ProgrammeExport(export.programme(), ProgrammeExport.Outcome.PENDING, Optional.of(export),
                Optional.of(reason));
    }

    /** The message an export is sent as: its local id is the export id. */
    private OutboundMessage message(DpsExport export) {
        return OutboundMessage.to(settings.dpsMailbox(), settings.workflowId())
                .fileName(export.filename())
                .localId(Long.toString(export.id()))
                .build();
    }

    private ProgrammeExport failed(String programme, DpsExport export, String reason) {
        DpsExport recorded = export == null ? null : ledger.failed(export.id(), reason);
        metrics.dpsExport(programme, false);
        LOG.error("dps_export_failed export_id={} programme={} reason=\"{}\"", export == null ? "" : export.id(),
                programme, reason);
        return new ProgrammeExport(programme, ProgrammeExport.Outcome.FAILED, Optional.ofNullable(recorded),
                Optional.of(reason));
    }

    /**
     * Settles exports left {@code pending} by a run that stopped mid-send or could not tell whether MESH took the file.
     * The local id (the export id) is not unique: a recreated ledger starts again at 1, and other senders on the
     * mailbox choose their own. So MESH's message counts as this export's only when its recipient, workflow id and file
     * name match and it was uploaded after the export was made ({@link MeshClient#findSent}); when MESH holds no such
     * message the export failed and its records go again; when MESH's answer cannot tell, it stays pending, since
     * taking another message would lose these records and sending again could deliver them twice.
     */
    private void settlePending() {
        for (DpsExport export : ledger.withStatus(ExportStatus.PENDING)) {
            try {
                settle(export);
            } catch (MeshException e) {
                LOG.warn("dps_export_pending export_id={} programme={} filename={} reason=\"{}\" "
                        + "note=\"left pending; its records wait until MESH can tell or it is resolved by hand\"",
                        export.id(), export.programme(), export.filename(), e.getMessage());
            }
        }
    }

    private void settle(DpsExport export) {
        Optional<String> found = mesh.findSent(message(export), OptionalInt.empty(), export.createdAt());
        if (found.isEmpty()) {
            ledger.failed(export.id(), "interrupted before MESH accepted it");
            LOG.warn("dps_export_interrupted export_id={} programme={}", export.id(), export.programme());
            return;
        }
        // A send that stopped between chunks leaves a message MESH never delivers: its records must go again.
        if (mesh.track(found.get()).status() == DeliveryStatus.UPLOADING) {
            ledger.failed(export.id(), "interrupted mid-upload; MESH holds message " + found.get() + " incomplete");
            LOG.warn("dps_export_interrupted export_id={} programme={} message_id={} note=\"incomplete upload\"",
                    export.id(), export.programme(), found.get());
            return;
        }
        ledger.accepted(export.id(), found.get());
        LOG.info("dps_export_recovered export_id={} message_id={}", export.id(), found.get());
    }

    private static void write(ExportFileWriter writer, VaccinationRecord record) {
        try {
            writer.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String describe(MeshException e) {
        StringBuilder reason = new StringBuilder("MESH");
        if (e.httpStatus() > 0) {
            reason.append(' ').append(e.httpStatus());
        }
        e.errorCode().ifPresent(code -> reason.append(" (error ").append(code).append(')'));
        return reason.append(": ").append(e.getMessage()).toString();
    }
}
