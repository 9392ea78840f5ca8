package meshgate.dps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import meshgate.client.MeshClient;
import meshgate.client.MessageMetadata;
import meshgate.client.RetryPolicy;
import meshgate.dps.export.DpsExport;
import meshgate.dps.export.ExportJob;
import meshgate.dps.export.ExportLedger;
import meshgate.dps.export.ExportRun;
import meshgate.dps.export.ExportStatus;
import meshgate.dps.export.ProgrammeExport;
import meshgate.dps.record.InvalidRecord;
import meshgate.dps.record.JsonFileSource;
import meshgate.dps.record.VaccinationRecord;
import meshgate.dps.tracking.StatusChange;
import meshgate.dps.tracking.TrackJob;
import meshgate.sandbox.fault.FaultKind;
import meshgate.sandbox.fault.FaultSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpsExportTest {
    @TempDir
    static Path certificates;

    @TempDir
    Path dir;

    DpsFixture fixture;
    ExportLedger ledger;

    @BeforeEach
    void start() {
        fixture = new DpsFixture(dir, certificates, b -> { });
        ledger = fixture.ledger();
    }

    @AfterEach
    void stop() {
        ledger.close();
        fixture.close();
    }

    static ListSource goldenRecords() {
        ListSource source = new ListSource(List.of());
        new JsonFileSource(DpsFixture.resource("records.json")).read("HPV", source.records::add);
        return source;
    }

    @Test
    void exportArrivesInTheDpsMailboxByteIdenticalToTheGoldenFile() throws Exception {
        ExportRun run = fixture.exportJob(goldenRecords(), ledger, DpsFixture.DPS).run();

        assertThat(run.sent()).hasSize(1);
        DpsExport export = run.sent().get(0).export().orElseThrow();
        assertThat(export.filename()).isEqualTo("Vaccinations-HPV-2024-08-23.csv");
        assertThat(fixture.dps().inbox()).containsExactly(export.meshMessageId().orElseThrow());
        byte[] golden = Files.readAllBytes(DpsFixture.resource("golden/Vaccinations-HPV-2024-08-23.csv"));
        assertThat(fixture.download(export.meshMessageId().get())).isEqualTo(golden);
        MessageMetadata headers = fixture.dps().headers(export.meshMessageId().get());
        assertThat(headers.headers()).containsEntry("mex-filename", "Vaccinations-HPV-2024-08-23.csv")
                .containsEntry("mex-workflowid", DpsFixture.WORKFLOW)
                .containsEntry("mex-localid", Long.toString(export.id()))
                .containsEntry("mex-from", DpsFixture.SERVICE);
    }

    @Test
    void fullCycleFromExportToAcknowledged() {
        ListSource source = goldenRecords();
        fixture.exportJob(source, ledger, DpsFixture.DPS).run();
        ledger.clear();
        assertThat(ledger.list()).isEmpty();
        double sentBefore = fixture.counted("meshgate.dps.exports", "programme", "HPV", "outcome", "sent");
        double acknowledgedBefore = fixture.counted("meshgate.outbound.deliveries", "mailbox", DpsFixture.SERVICE,
                "status", "acknowledged");

        ExportRun run = fixture.exportJob(source, ledger, DpsFixture.DPS).run();
        assertThat(fixture.counted("meshgate.dps.exports", "programme", "HPV", "outcome", "sent"))
                .isEqualTo(sentBefore + 1);

        DpsExport accepted = run.sent().get(0).export().orElseThrow();
        assertThat(accepted.status()).isEqualTo(ExportStatus.ACCEPTED);
        assertThat(accepted.meshMessageId()).isPresent();
        assertThat(accepted.sentAt()).isPresent();
        assertThat(accepted.recordCount()).isEqualTo(3);
        assertThat(ledger.recordIds(accepted.id())).containsExactly("0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e01",
                "0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e02", "0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e03");
        assertThat(run.sent().get(0).describe()).isEqualTo("DPS export (" + accepted.id()
                + ") for programme (HPV) sent: 202 - {\"message_id\":\"" + accepted.meshMessageId().get() + "\"}");

        TrackJob tracking = new TrackJob(ledger, fixture.service(), fixture.metrics);
        assertThat(tracking.run()).isEmpty();

        String messageId = accepted.meshMessageId().get();
        fixture.download(messageId);
        fixture.dps().acknowledge(messageId);
        List<StatusChange> changes = tracking.run();

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.from()).isEqualTo(ExportStatus.ACCEPTED);
            assertThat(change.to()).isEqualTo(ExportStatus.ACKNOWLEDGED);
        });
        assertThat(ledger.find(accepted.id()).orElseThrow().status()).isEqualTo(ExportStatus.ACKNOWLEDGED);
        assertThat(fixture.counted("meshgate.outbound.deliveries", "mailbox", DpsFixture.SERVICE, "status",
                "acknowledged")).isEqualTo(acknowledgedBefore + 1);
        assertThat(tracking.run()).isEmpty();
    }

    @Test
    void runningTheExportTwiceSendsNothingTheSecondTime() {
        ListSource source = goldenRecords();
        assertThat(fixture.exportJob(source, ledger, DpsFixture.DPS).run().sent()).hasSize(1);

        ExportRun second = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        assertThat(second.sent()).isEmpty();
        assertThat(second.programmes()).extracting(ProgrammeExport::outcome)
                .containsOnly(ProgrammeExport.Outcome.NOTHING_TO_SEND);
        assertThat(fixture.dps().inbox()).hasSize(1);
        assertThat(ledger.list()).hasSize(1);
    }

    @Test
    void aChangedRecordIsSentAgainAndOnlyIt() {
        ListSource source = goldenRecords();
        fixture.exportJob(source, ledger, DpsFixture.DPS).run();
        VaccinationRecord first = source.records.get(0);
        source.records.set(0, changeAction(first, "update"));

        ExportRun second = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        DpsExport export = second.sent().get(0).export().orElseThrow();
        assertThat(ledger.recordIds(export.id())).containsExactly(first.id());
        assertThat(new String(fixture.download(export.meshMessageId().orElseThrow())))
                .contains("|\"update\"|").doesNotContain("\"Tom\"");
    }

    @Test
    void unknownDpsMailboxLeavesTheRecordsUnsentAndTheNextRunSendsThem() {
        ListSource source = goldenRecords();

        ExportRun failed = fixture.exportJob(source, ledger, "X26ZZZ9").run();

        ProgrammeExport hpv = failed.failed().get(0);
        assertThat(hpv.export().orElseThrow().status()).isEqualTo(ExportStatus.FAILED);
        assertThat(hpv.reason().orElseThrow()).contains("MESH 417");
        assertThat(ledger.find(hpv.export().get().id()).orElseThrow().statusReason()).contains(hpv.reason().get());
        assertThat(hpv.describe()).startsWith("DPS export (" + hpv.export().get().id()
                + ") for programme (HPV) send failed: MESH 417");

        ExportRun retried = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        DpsExport sent = retried.sent().get(0).export().orElseThrow();
        assertThat(sent.recordCount()).isEqualTo(3);
        assertThat(fixture.download(sent.meshMessageId().orElseThrow())).isEqualTo(readGolden());
    }

    @Test
    void meshFailingEveryRequestLeavesTheExportPendingAndTheNextRunSettlesItAndSendsTheRecords() {
        ListSource source = goldenRecords();
        fixture.sandbox.faults().update(FaultSettings.failing(1.0, FaultKind.HTTP_503));
        double failedBefore = fixture.counted("meshgate.dps.exports", "programme", "HPV", "outcome", "failed");
        try (MeshClient impatient = fixture.client(DpsFixture.SERVICE, RetryPolicy.none())) {
            ExportRun unknown = new ExportJob(source, ledger, impatient,
                    fixture.exportSettings(DpsFixture.DPS, "HPV"), DpsFixture.CLOCK, fixture.metrics).run();
            // A 503 may come after MESH took the file: only MESH, asked by local id next run, can say.
            assertThat(unknown.failed()).isEmpty();
            assertThat(unknown.pending()).singleElement().satisfies(hpv -> {
                assertThat(hpv.reason().orElseThrow()).contains("MESH 503");
                assertThat(hpv.export().orElseThrow().status()).isEqualTo(ExportStatus.PENDING);
            });
        }
        fixture.sandbox.faults().update(FaultSettings.none());
        assertThat(fixture.counted("meshgate.dps.exports", "programme", "HPV", "outcome", "failed"))
                .isEqualTo(failedBefore + 1);

        ExportRun retried = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        assertThat(retried.sent()).singleElement()
                .satisfies(hpv -> assertThat(hpv.export().orElseThrow().recordCount()).isEqualTo(3));
        assertThat(ledger.list()).extracting(DpsExport::status)
                .containsExactly(ExportStatus.ACCEPTED, ExportStatus.FAILED);
    }

    @Test
    void invalidRecordsAreReportedByIdAndReasonAndLeftOut() {
        ListSource source = goldenRecords();
        VaccinationRecord valid = source.records.get(0);
        source.records.add(copy(valid, "0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e10", "nhs_number", "9434765918"));
        source.records.add(copy(valid, "0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e11", "person_surname", ""));
        source.records.add(copy(valid, "0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e12", "site_of_vaccination_code",
                "368208007"));

        ExportRun run = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        assertThat(run.invalidRecords()).containsExactly(
                new InvalidRecord("0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e10", "HPV",
                        "nhs_number must be 10 digits with a valid modulus 11 check digit"),
                new InvalidRecord("0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e11", "HPV", "person_surname is required"),
                new InvalidRecord("0b9d5a4e-4a3c-4f57-9c3e-1b2a3c4d5e12", "HPV",
                        "site_of_vaccination_code must be a SNOMED CT code (digits with a valid check digit), "
                                + "got '368208007'"));
        DpsExport export = run.sent().get(0).export().orElseThrow();
        assertThat(export.recordCount()).isEqualTo(3);
        assertThat(fixture.download(export.meshMessageId().orElseThrow())).isEqualTo(readGolden());

        ExportRun again = fixture.exportJob(source, ledger, DpsFixture.DPS).run();
        assertThat(again.invalidRecords()).hasSize(3);
        assertThat(again.sent()).isEmpty();
    }

    @Test
    void anExportDpsNeverCollectsBecomesUndeliverableWithMeshsReason() throws Exception {
        fixture.close();
        ledger.close();
        fixture = new DpsFixture(dir.resolve("expiring"), certificates,
                b -> b.messageExpiry(Duration.ofMillis(200)));
        ledger = fixture.ledger();
        DpsExport export = fixture.exportJob(goldenRecords(), ledger, DpsFixture.DPS).run().sent().get(0).export()
                .orElseThrow();
        Thread.sleep(300);
        fixture.sandbox.expireNow();

        List<StatusChange> changes = new TrackJob(ledger, fixture.service(), fixture.metrics).run();

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.to()).isEqualTo(ExportStatus.UNDELIVERABLE);
            assertThat(change.reason()).isPresent();
        });
        DpsExport tracked = ledger.find(export.id()).orElseThrow();
        assertThat(tracked.status()).isEqualTo(ExportStatus.UNDELIVERABLE);
        assertThat(tracked.statusReason()).isPresent();
    }

    private static byte[] readGolden() {
        try {
            return Files.readAllBytes(DpsFixture.resource("golden/Vaccinations-HPV-2024-08-23.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VaccinationRecord changeAction(VaccinationRecord record, String action) {
        Map<String, String> fields = record.fields();
        fields.put("action", action);
        return VaccinationRecord.fromFields(fields);
    }

    private static VaccinationRecord copy(VaccinationRecord record, String id, String field, String value) {
        Map<String, String> fields = record.fields();
        fields.put("id", id);
        fields.put(field, value);
        return VaccinationRecord.fromFields(fields);
    }
}
