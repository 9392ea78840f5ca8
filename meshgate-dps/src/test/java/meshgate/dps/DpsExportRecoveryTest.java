package meshgate.dps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.client.OutboundMessage;
import meshgate.client.RetryPolicy;
import meshgate.dps.export.DpsExport;
import meshgate.dps.export.ExportJob;
import meshgate.dps.export.ExportLedger;
import meshgate.dps.export.ExportRun;
import meshgate.dps.export.ExportStatus;
import meshgate.dps.export.ProgrammeExport;
import meshgate.dps.record.VaccinationRecord;
import meshgate.sandbox.fault.FaultKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export whose send has no recorded outcome is settled by its local id (the export id), which is not unique across
 * ledgers: a recreated ledger starts again at 1, and other senders on the mailbox choose their own. Such an export is
 * accepted only for a message that is provably its own, and never sent again while MESH may hold it.
 */
class DpsExportRecoveryTest {
    private static final String GOLDEN_NAME = "Vaccinations-HPV-2024-08-23.csv";

    @TempDir
    static java.nio.file.Path certificates;

    @TempDir
    java.nio.file.Path dir;

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

    @Test
    void aPendingExportOfARecreatedLedgerIsNotSettledByTheEarlierLedgersMessage() {
        // The earlier ledger's export 1, for the same programme and day, went out an hour before the ledger was made
        // again; only the upload time tells that message from one the interrupted export might have created.
        String earlier = sendFromService(OutboundMessage.to(DpsFixture.DPS, DpsFixture.WORKFLOW).localId("1")
                .fileName(GOLDEN_NAME).build());
        ledger.close();
        ledger = ExportLedger.open(dir.resolve("recreated").resolve("dps"),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
        ListSource source = DpsExportTest.goldenRecords();
        DpsExport pending = interruptedExport(source);

        ExportRun run = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        assertThat(ledger.find(pending.id()).orElseThrow().status()).isEqualTo(ExportStatus.PENDING);
        assertThat(ledger.find(pending.id()).orElseThrow().meshMessageId()).isEmpty();
        assertThat(run.sent()).isEmpty();
        assertThat(fixture.dps().inbox()).containsExactly(earlier);
    }

    @Test
    void aPendingExportIsNotSettledByAnotherWorkflowsMessageWithItsLocalIdAndItsRecordsGoAgain() throws Exception {
        String other = sendFromService(OutboundMessage.to(DpsFixture.DPS, "TEST_WORKFLOW2").localId("1")
                .fileName(GOLDEN_NAME).build());
        ListSource source = DpsExportTest.goldenRecords();
        DpsExport pending = interruptedExport(source);

        ExportRun run = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        assertThat(ledger.find(pending.id()).orElseThrow().status()).isEqualTo(ExportStatus.FAILED);
        DpsExport resent = run.sent().get(0).export().orElseThrow();
        assertThat(resent.id()).isNotEqualTo(pending.id());
        assertThat(fixture.dps().inbox()).containsExactlyInAnyOrder(other, resent.meshMessageId().orElseThrow());
        assertThat(fixture.download(resent.meshMessageId().get()))
                .isEqualTo(Files.readAllBytes(DpsFixture.resource("golden/" + GOLDEN_NAME)));
    }

    @Test
    void aPendingExportThatMeshHoldsIsSettledAsAcceptedAndNotSentAgain() throws Exception {
        ListSource source = DpsExportTest.goldenRecords();
        DpsExport pending = interruptedExport(source);
        String delivered = fixture.service().send(OutboundMessage.to(DpsFixture.DPS, DpsFixture.WORKFLOW)
                .localId(Long.toString(pending.id())).fileName(GOLDEN_NAME).build(),
                DpsFixture.resource("golden/" + GOLDEN_NAME)).messageId();

        ExportRun run = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        DpsExport settled = ledger.find(pending.id()).orElseThrow();
        assertThat(settled.status()).isEqualTo(ExportStatus.ACCEPTED);
        assertThat(settled.meshMessageId()).contains(delivered);
        assertThat(run.sent()).isEmpty();
        assertThat(fixture.dps().inbox()).containsExactly(delivered);
    }

    @Test
    void aPendingExportWhoseMessageMeshHoldsIncompleteFailsAndItsRecordsGoAgain() throws Exception {
        ListSource source = DpsExportTest.goldenRecords();
        DpsExport pending = interruptedExport(source);
        // The run stopped after chunk 1 of 2: MESH holds the message, uploading, and never delivers it.
        fixture.sandbox.faults().failNext("POST", ".*/outbox/[^/]+/2", FaultKind.HTTP_503);
        try (MeshClient chunked = fixture.client(DpsFixture.SERVICE, RetryPolicy.none(),
                b -> b.chunkSize(MeshClient.MIN_CHUNK_SIZE))) {
            OutboundMessage message = OutboundMessage.to(DpsFixture.DPS, DpsFixture.WORKFLOW)
                    .localId(Long.toString(pending.id())).fileName(GOLDEN_NAME).build();
            assertThatThrownBy(() -> chunked.send(message, new byte[MeshClient.MIN_CHUNK_SIZE + 1]))
                    .isInstanceOf(MeshException.class);
        }

        ExportRun run = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        assertThat(ledger.find(pending.id()).orElseThrow().status()).isEqualTo(ExportStatus.FAILED);
        DpsExport resent = run.sent().get(0).export().orElseThrow();
        assertThat(fixture.dps().inbox()).containsExactly(resent.meshMessageId().orElseThrow());
        assertThat(fixture.download(resent.meshMessageId().get()))
                .isEqualTo(Files.readAllBytes(DpsFixture.resource("golden/" + GOLDEN_NAME)));
    }

    @Test
    void aSendWhoseOutcomeIsUnknownIsLeftPendingAndNeverSentAgain() {
        // A message of an earlier ledger's export 1: tracking by local id 1 then names no message once ours exists.
        String earlier = sendFromService(OutboundMessage.to(DpsFixture.DPS, DpsFixture.WORKFLOW).localId("1")
                .fileName("Vaccinations-HPV-2024-08-22.csv").build());
        ListSource source = DpsExportTest.goldenRecords();
        fixture.sandbox.faults().failNext("POST", ".*/outbox", FaultKind.HTTP_503_AFTER_PROCESSING);

        ExportRun first = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        assertThat(first.sent()).isEmpty();
        ProgrammeExport hpv = first.programmes().get(0);
        assertThat(hpv.outcome()).isEqualTo(ProgrammeExport.Outcome.PENDING);
        assertThat(hpv.describe()).contains("MESH 503");
        DpsExport unknown = hpv.export().orElseThrow();
        assertThat(ledger.find(unknown.id()).orElseThrow().status()).isEqualTo(ExportStatus.PENDING);
        assertThat(fixture.dps().inbox()).hasSize(2).contains(earlier);

        ExportRun second = fixture.exportJob(source, ledger, DpsFixture.DPS).run();

        assertThat(second.sent()).isEmpty();
        assertThat(ledger.find(unknown.id()).orElseThrow().status()).isEqualTo(ExportStatus.PENDING);
        assertThat(fixture.dps().inbox()).hasSize(2).contains(earlier);
    }

    /** What a run leaves behind when it stops after recording an export and before MESH answered its send. */
    private DpsExport interruptedExport(ListSource source) {
        DpsExport export = ledger.create("HPV", ExportJob.filename("HPV", LocalDate.now(DpsFixture.CLOCK)));
        int row = 0;
        for (VaccinationRecord record : source.records) {
            ledger.addRecord(export.id(), record.id(), ExportJob.fingerprint(record), ++row);
        }
        assertThat(export.id()).isEqualTo(1);
        return export;
    }

    private String sendFromService(OutboundMessage message) {
        return fixture.service().send(message, "another file\n".getBytes(StandardCharsets.UTF_8)).messageId();
    }
}
