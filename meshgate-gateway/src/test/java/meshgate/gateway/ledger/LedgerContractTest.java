package meshgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Ledger} promises, proved against each implementation on a real database. A subclass opens its
 * ledger and adds the cases only it has (files and processes for H2; leases, locks and pools for PostgreSQL).
 */
public abstract class LedgerContractTest {
    protected static final Instant MODIFIED = Instant.parse("2024-03-01T10:15:30.123456789Z");
    protected static final Instant START = Instant.parse("2024-03-02T08:00:00.250Z");

    protected MutableClock clock;
    protected Ledger ledger;

    /** Opens the ledger under test on a new, empty database, timing its records by {@code clock}. */
    protected abstract Ledger openNewLedger(Clock clock);

    /** Opens the ledger again on this test's database, as a restarted node does. */
    protected abstract Ledger reopenLedger(Clock clock);

    /** Opens a second ledger on this test's database, as another node does; the caller closes it. */
    protected abstract Ledger openAnotherLedger(Clock clock);

    @BeforeEach
    void openLedger() {
        clock = new MutableClock(START);
        ledger = openNewLedger(clock);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    @Test
    void recordsANewOutboundVersionAsQueued() {
        OutboundRecord record = ledger.recordOutbound("outbound/x.csv", 1234, MODIFIED);

        assertThat(record).isEqualTo(new OutboundRecord(record.id(), "outbound/x.csv", 1234,
                Instant.parse("2024-03-01T10:15:30.123Z"), OutboundState.QUEUED, null, null, null, null, null, 0, 0,
                0, false, null, null, false, 0, null, clock.instant(), clock.instant(), null, null));
        assertThat(record.id()).isPositive();
        assertThat(ledger.findOutbound(record.id())).contains(record);
        assertThat(ledger.findOutbound(record.id() + 1)).isEmpty();
    }

    @Test
    void countsRecordsInEveryState() {
        assertThat(ledger.countOutbound()).containsOnlyKeys(OutboundState.values()).allSatisfy((state, count) ->
                assertThat(count).isZero());
        assertThat(ledger.countInbound()).containsOnlyKeys(InboundState.values());

        ledger.recordOutbound("outbound/a.csv", 1, MODIFIED);
        ledger.recordOutbound("outbound/b.csv", 1, MODIFIED);
        ledger.updateOutbound(ledger.recordOutbound("outbound/c.csv", 1, MODIFIED).withState(OutboundState.FAILED));
        ledger.recordInbound("X26ABC1", "MSG-1");
        ledger.updateInbound(ledger.recordInbound("X26ABC1", "MSG-2").withState(InboundState.ACKNOWLEDGED));
        ledger.updateInbound(ledger.recordInbound("X26ABC2", "MSG-3").withState(InboundState.ACKNOWLEDGED));

        assertThat(ledger.countOutbound()).containsEntry(OutboundState.QUEUED, 2L)
                .containsEntry(OutboundState.FAILED, 1L).containsEntry(OutboundState.SENDING, 0L)
                .containsEntry(OutboundState.ACCEPTED, 0L);
        assertThat(ledger.countInbound()).containsEntry(InboundState.LISTED, 1L)
                .containsEntry(InboundState.ACKNOWLEDGED, 2L).containsEntry(InboundState.STORED, 0L);
    }

    @Test
    void updatesAndFindsEveryOutboundField() {
        OutboundRecord queued = ledger.recordOutbound("outbound/x.csv", 1234, MODIFIED);
        clock.advance(Duration.ofSeconds(5));
        OutboundRecord changed = new OutboundRecord(queued.id(), "outbound/x.csv", 1234, queued.lastModified(),
                OutboundState.ACCEPTED, "X26ABC1", "X26ABC2", "WF_1", "local-1", "20240302080000123456_ABCDEF", 3, 2,
                20_000_000, true, "accepted", "a reason £", true, 4, "sent/x.csv", queued.createdAt(),
                Instant.EPOCH, Instant.parse("2024-03-02T08:00:01.001Z"), Instant.parse("2024-03-02T08:00:02.002Z"));

        OutboundRecord stored = ledger.updateOutbound(changed);

        OutboundRecord expected = new OutboundRecord(changed.id(), changed.objectKey(), changed.size(),
                changed.lastModified(), changed.state(), changed.sender(), changed.recipient(), changed.workflowId(),
                changed.localId(), changed.meshMessageId(), changed.chunksTotal(), changed.chunksAccepted(),
                changed.chunkSize(), changed.compress(), changed.trackingStatus(), changed.reason(),
                changed.retryable(), changed.attempts(), changed.sentKey(), changed.createdAt(), clock.instant(),
                changed.startedAt(), changed.acceptedAt());
        assertThat(stored).isEqualTo(expected);
        assertThat(ledger.findOutbound(queued.id())).contains(expected);
    }

    @Test
    void updateCanClearNullableOutboundFields() {
        OutboundRecord queued = ledger.recordOutbound("outbound/x.csv", 1234, MODIFIED);
        OutboundRecord sending = ledger.updateOutbound(
                queued.sending("A", "B", "WF", "L", 1000, true, clock.instant()).failed("boom", true));

        OutboundRecord cleared = ledger.updateOutbound(new OutboundRecord(sending.id(), sending.objectKey(),
                sending.size(), sending.lastModified(), OutboundState.QUEUED, null, null, null, null, null, 0, 0, 0,
                false, null, null, false, 0, null, sending.createdAt(), sending.updatedAt(), null, null));

        assertThat(cleared.sender()).isNull();
        assertThat(cleared.reason()).isNull();
        assertThat(cleared.startedAt()).isNull();
        assertThat(ledger.findOutbound(queued.id())).contains(cleared);
    }

    @Test
    void updatingAnUnknownOutboundRecordFails() {
        OutboundRecord ghost = ledger.recordOutbound("outbound/x.csv", 1, MODIFIED);
        OutboundRecord unknown = new OutboundRecord(ghost.id() + 100, "outbound/y.csv", 1, MODIFIED,
                OutboundState.QUEUED, null, null, null, null, null, 0, 0, 0, false, null, null, false, 0, null,
                MODIFIED, MODIFIED, null, null);

        assertThatThrownBy(() -> ledger.updateOutbound(unknown)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.findOutbound(ghost.id() + 100)).isEmpty();
    }

    @Test
    void recordOutboundReturnsTheExistingRowForTheSameVersion() {
        OutboundRecord first = ledger.recordOutbound("outbound/x.csv", 10, MODIFIED);
        ledger.updateOutbound(first.withState(OutboundState.SENDING));

        OutboundRecord again = ledger.recordOutbound("outbound/x.csv", 10, MODIFIED);
        OutboundRecord otherSize = ledger.recordOutbound("outbound/x.csv", 11, MODIFIED);
        OutboundRecord otherTime = ledger.recordOutbound("outbound/x.csv", 10, MODIFIED.plusSeconds(1));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.state()).isEqualTo(OutboundState.SENDING);
        assertThat(Set.of(first.id(), otherSize.id(), otherTime.id())).hasSize(3);
    }

    @Test
    void concurrentRecordOutboundOfOneVersionMakesOneRow() throws Exception {
        List<OutboundRecord> records = concurrently(8, () -> ledger.recordOutbound("outbound/race.csv", 5, MODIFIED));

        assertThat(records.stream().map(OutboundRecord::id).collect(Collectors.toSet())).hasSize(1);
        assertThat(ledger.outbound(OutboundState.QUEUED)).hasSize(1);
    }

    @Test
    void twoLedgersOnOneDatabaseRecordOneRowPerVersion() throws Exception {
        try (Ledger second = openAnotherLedger(clock)) {
            for (int round = 0; round < 20; round++) {
                String key = "outbound/race-" + round + ".csv";
                String message = "RACE-" + round;
                List<Long> ids = concurrently(8, () -> {
                    Ledger either = Thread.currentThread().getId() % 2 == 0 ? ledger : second;
                    either.recordInbound("X26ABC1", message);
                    return either.recordOutbound(key, 5, MODIFIED).id();
                });
                assertThat(Set.copyOf(ids)).hasSize(1);
            }
        }

        assertThat(ledger.outbound(OutboundState.QUEUED)).hasSize(20);
        assertThat(ledger.inbound(InboundState.LISTED)).hasSize(20);
    }

    @Test
    void listsOutboundByStateInIdOrder() {
        OutboundRecord a = ledger.recordOutbound("outbound/a.csv", 1, MODIFIED);
        OutboundRecord b = ledger.recordOutbound("outbound/b.csv", 1, MODIFIED);
        OutboundRecord c = ledger.recordOutbound("outbound/c.csv", 1, MODIFIED);
        OutboundRecord d = ledger.recordOutbound("outbound/d.csv", 1, MODIFIED);
        ledger.updateOutbound(b.withState(OutboundState.SENDING));
        ledger.updateOutbound(d.withState(OutboundState.ACCEPTED));

        assertThat(ledger.outbound(OutboundState.QUEUED)).extracting(OutboundRecord::id)
                .containsExactly(a.id(), c.id());
        assertThat(ledger.outbound(OutboundState.ACCEPTED, OutboundState.SENDING)).extracting(OutboundRecord::id)
                .containsExactly(b.id(), d.id());
        assertThat(ledger.outbound(OutboundState.FAILED)).isEmpty();
        assertThat(ledger.outbound()).isEmpty();
    }

    @Test
    void anAcceptedMessageOwesItsSentEventThenItsDeliveryStatusEventUntilEachIsAnnounced() {
        OutboundRecord queued = ledger.recordOutbound("outbound/events.csv", 10, MODIFIED);
        ledger.recordOutbound("outbound/never-sent.csv", 10, MODIFIED);
        assertThat(ledger.outboundEventsOwed()).as("nothing owed before MESH accepts").isEmpty();

        OutboundRecord accepted = ledger.updateOutbound(queued.sending("X26ABC1", "X26ABC2", "WF", "local-1", 0,
                false, START).accepted("MSG1", START));
        assertThat(ledger.outboundEventsOwed()).singleElement().satisfies(owed -> {
            assertThat(owed.record().id()).isEqualTo(accepted.id());
            assertThat(owed.announced()).isEmpty();
            assertThat(owed.next()).isEqualTo(OutboundState.ACCEPTED);
        });

        ledger.outboundEventAnnounced(accepted.id(), OutboundState.ACCEPTED);
        assertThat(ledger.outboundEventsOwed()).isEmpty();
        // Later writes of the record (archiving it) neither undo the announcement nor owe the event again.
        ledger.updateOutbound(ledger.findOutbound(accepted.id()).orElseThrow().sentTo("sent/MSG1/events.csv"));
        assertThat(ledger.outboundEventsOwed()).isEmpty();

        ledger.updateOutbound(ledger.findOutbound(accepted.id()).orElseThrow()
                .tracked(OutboundState.UNDELIVERABLE, "undeliverable", "14: not collected"));
        assertThat(ledger.outboundEventsOwed()).singleElement().satisfies(owed -> {
            assertThat(owed.announced()).contains(OutboundState.ACCEPTED);
            assertThat(owed.next()).isEqualTo(OutboundState.UNDELIVERABLE);
        });
        ledger.outboundEventAnnounced(accepted.id(), OutboundState.UNDELIVERABLE);
        assertThat(ledger.outboundEventsOwed()).isEmpty();
        ledger.close();
        ledger = reopenLedger(clock);
        assertThat(ledger.outboundEventsOwed()).as("after a restart").isEmpty();
    }

    @Test
    void recordsANewInboundMessageAsListed() {
        InboundRecord record = ledger.recordInbound("X26ABC1", "MSG-1");

        assertThat(record).isEqualTo(new InboundRecord("X26ABC1", "MSG-1", InboundState.LISTED, null, null, null,
                null, 0, false, null, 0, clock.instant(), clock.instant()));
        assertThat(ledger.findInbound("X26ABC1", "MSG-1")).contains(record);
        assertThat(ledger.findInbound("X26ABC1", "MSG-2")).isEmpty();
        assertThat(ledger.findInbound("X26ABC9", "MSG-1")).isEmpty();
    }

    @Test
    void updatesAndFindsEveryInboundField() {
        InboundRecord listed = ledger.recordInbound("X26ABC1", "MSG-1");
        clock.advance(Duration.ofMillis(1500));
        InboundRecord changed = new InboundRecord("X26ABC1", "MSG-1", InboundState.STORED, "DATA", "X26ABC2", "WF_1",
                "inbound/X26ABC1/MSG-1.dat", 987_654_321_000L, true, "a reason", 2, listed.createdAt(), Instant.EPOCH);

        InboundRecord stored = ledger.updateInbound(changed);

        InboundRecord expected = new InboundRecord("X26ABC1", "MSG-1", InboundState.STORED, "DATA", "X26ABC2", "WF_1",
                "inbound/X26ABC1/MSG-1.dat", 987_654_321_000L, true, "a reason", 2, listed.createdAt(),
                clock.instant());
        assertThat(stored).isEqualTo(expected);
        assertThat(ledger.findInbound("X26ABC1", "MSG-1")).contains(expected);

        InboundRecord failed = ledger.updateInbound(stored.withState(InboundState.DOWNLOADING).failed(null));
        assertThat(failed.reason()).isNull();
        assertThat(failed.state()).isEqualTo(InboundState.FAILED);
    }

    @Test
    void updatingAnUnknownInboundRecordFails() {
        InboundRecord unknown = new InboundRecord("X26ABC1", "NOPE", InboundState.STORED, null, null, null, null, 0,
                false, null, 0, MODIFIED, MODIFIED);

        assertThatThrownBy(() -> ledger.updateInbound(unknown)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsOnlyTheMailboxsInboundWorkLeftAfterStoring() {
        InboundRecord stored = ledger.updateInbound(ledger.recordInbound("X26ABC1", "S").downloading()
                .stored("DATA", "X26ABC2", "WF", "inbound/X26ABC1/S.dat", 3));
        ledger.updateInbound(ledger.recordInbound("X26ABC1", "A").withState(InboundState.ACKNOWLEDGED));
        ledger.updateInbound(ledger.recordInbound("X26ABC1", "DONE").withState(InboundState.ACKNOWLEDGED)
                .withEventEmitted());
        ledger.recordInbound("X26ABC1", "LISTED");
        ledger.updateInbound(ledger.recordInbound("X26ABC2", "OTHER").withState(InboundState.STORED));

        assertThat(ledger.inboundToFinish("X26ABC1")).extracting(InboundRecord::messageId)
                .containsExactly("A", stored.messageId());
    }

    @Test
    void recordInboundReturnsTheExistingRow() {
        InboundRecord first = ledger.recordInbound("X26ABC1", "MSG-1");
        ledger.updateInbound(first.downloading());

        InboundRecord again = ledger.recordInbound("X26ABC1", "MSG-1");
        InboundRecord otherMailbox = ledger.recordInbound("X26ABC2", "MSG-1");

        assertThat(again.state()).isEqualTo(InboundState.DOWNLOADING);
        assertThat(again.attempts()).isEqualTo(1);
        assertThat(otherMailbox.state()).isEqualTo(InboundState.LISTED);
    }

    @Test
    void concurrentRecordInboundOfOneMessageMakesOneRow() throws Exception {
        concurrently(8, () -> ledger.recordInbound("X26ABC1", "RACE"));

        assertThat(ledger.inbound(InboundState.values())).hasSize(1);
    }

    @Test
    void listsInboundByStateInCreationThenMessageIdOrder() {
        ledger.recordInbound("X26ABC1", "MSG-B");
        ledger.recordInbound("X26ABC1", "MSG-A");
        ledger.recordInbound("X26ABC1", "MSG-a");
        clock.advance(Duration.ofSeconds(1));
        InboundRecord later = ledger.recordInbound("X26ABC1", "MSG-0");
        clock.advance(Duration.ofSeconds(1));
        InboundRecord stored = ledger.recordInbound("X26ABC2", "MSG-S");
        ledger.updateInbound(stored.stored("DATA", "X", "WF", "inbound/X26ABC2/MSG-S.dat", 3));

        assertThat(ledger.inbound(InboundState.LISTED)).extracting(InboundRecord::messageId)
                .containsExactly("MSG-A", "MSG-B", "MSG-a", "MSG-0");
        assertThat(ledger.inbound(InboundState.STORED, InboundState.ACKNOWLEDGED)).extracting(InboundRecord::messageId)
                .containsExactly("MSG-S");
        assertThat(ledger.inbound()).isEmpty();
        assertThat(later.createdAt()).isAfter(START);
    }

    @Test
    void aWriteUnderAStaleClaimIsRefusedAndChangesNothing() {
        OutboundRecord queued = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED);
        OutboundClaim stale = ledger.claimOutbound(queued.id(), "node-a", Duration.ofMinutes(1)).orElseThrow();
        OutboundRecord sending = ledger.updateOutbound(stale, ledger.findOutbound(queued.id()).orElseThrow()
                .sending("X26ABC1", "X26ABC2", "WF", "local-1", 1024, false, clock.instant()));
        // The node restarts under the same name and claims its work again: its earlier claim is now stale.
        OutboundClaim current = ledger.claimOutbound(queued.id(), "node-a", Duration.ofMinutes(1)).orElseThrow();

        assertThat(current.generation()).isGreaterThan(stale.generation());
        assertThatThrownBy(() -> ledger.updateOutbound(stale, sending.progress("MSG-STALE", 1, 3)))
                .isInstanceOf(StaleClaimException.class)
                .isInstanceOf(LedgerException.class)
                .satisfies(e -> assertThat(((StaleClaimException) e).claim()).isEqualTo(stale));
        assertThat(ledger.findOutbound(queued.id())).contains(sending);
        assertThat(ledger.renewOutbound(stale, Duration.ofMinutes(1))).isFalse();
        ledger.releaseOutbound(stale);
        assertThat(ledger.claimOutbound(queued.id(), "node-b", Duration.ofMinutes(1))).as("still held").isEmpty();

        OutboundRecord progressed = ledger.updateOutbound(current, sending.progress("MSG-1", 1, 3));
        assertThat(progressed.meshMessageId()).isEqualTo("MSG-1");
        assertThat(ledger.renewOutbound(current, Duration.ofMinutes(1))).isTrue();
        ledger.releaseOutbound(current);
        assertThatThrownBy(() -> ledger.updateOutbound(current, progressed.progress("MSG-1", 2, 3)))
                .as("a released claim writes nothing").isInstanceOf(StaleClaimException.class);
        assertThat(ledger.findOutbound(queued.id())).contains(progressed);
    }

    @Test
    void theLastWriteOfASendGivesTheClaimUpInTheSameWrite() {
        OutboundRecord queued = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED);
        OutboundClaim claim = ledger.claimOutbound(queued.id(), "node-a", Duration.ofMinutes(1)).orElseThrow();
        OutboundRecord accepted = ledger.updateOutbound(claim, queued.sending("X26ABC1", "X26ABC2", "WF", "local-1",
                1024, false, clock.instant()).accepted("MSG-1", clock.instant()));
        clock.advance(Duration.ofMillis(250));

        OutboundRecord archived = ledger.updateAndReleaseOutbound(claim, accepted.sentTo("sent/MSG-1/x.csv"));

        assertThat(archived.sentKey()).isEqualTo("sent/MSG-1/x.csv");
        assertThat(archived.updatedAt()).isEqualTo(clock.instant());
        assertThat(ledger.findOutbound(queued.id())).contains(archived);
        assertThat(ledger.renewOutbound(claim, Duration.ofMinutes(1))).as("given up").isFalse();
        assertThatThrownBy(() -> ledger.updateAndReleaseOutbound(claim, archived.withReason("again")))
                .isInstanceOf(StaleClaimException.class);
        assertThat(ledger.claimOutbound(queued.id(), "node-b", Duration.ofMinutes(1))).as("free at once")
                .isPresent();
        assertThat(ledger.findOutbound(queued.id())).contains(archived);
    }

    @Test
    void aLastWriteUnderAStaleClaimIsRefusedAndReleasesNothing() {
        OutboundRecord queued = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED);
        OutboundClaim stale = ledger.claimOutbound(queued.id(), "node-a", Duration.ofMinutes(1)).orElseThrow();
        OutboundClaim current = ledger.claimOutbound(queued.id(), "node-a", Duration.ofMinutes(1)).orElseThrow();

        assertThatThrownBy(() -> ledger.updateAndReleaseOutbound(stale, queued.failed("stale", false)))
                .isInstanceOf(StaleClaimException.class);
        assertThat(ledger.findOutbound(queued.id())).contains(queued);
        assertThat(ledger.renewOutbound(current, Duration.ofMinutes(1))).as("still held").isTrue();
    }

    @Test
    void startingADownloadRecordsItsAttemptInOneCall() {
        InboundRecord first = ledger.startInbound("X26ABC1", "MSG-1");
        assertThat(first).isEqualTo(new InboundRecord("X26ABC1", "MSG-1", InboundState.DOWNLOADING, null, null,
                null, null, 0, false, null, 1, clock.instant(), clock.instant()));
        assertThat(ledger.findInbound("X26ABC1", "MSG-1")).contains(first);

        clock.advance(Duration.ofSeconds(1));
        InboundRecord again = ledger.startInbound("X26ABC1", "MSG-1");
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.updatedAt()).isEqualTo(clock.instant());
        assertThat(again.createdAt()).isEqualTo(first.createdAt());

        ledger.updateInbound(again.failed("connection reset"));
        InboundRecord afterFailure = ledger.startInbound("X26ABC1", "MSG-1");
        assertThat(afterFailure.state()).isEqualTo(InboundState.DOWNLOADING);
        assertThat(afterFailure.reason()).isNull();
        assertThat(afterFailure.attempts()).isEqualTo(3);

        ledger.recordInbound("X26ABC1", "LISTED-FIRST");
        assertThat(ledger.startInbound("X26ABC1", "LISTED-FIRST")).satisfies(listed -> {
            assertThat(listed.state()).isEqualTo(InboundState.DOWNLOADING);
            assertThat(listed.attempts()).isEqualTo(1);
        });

        InboundRecord stored = ledger.updateInbound(afterFailure.stored("DATA", "X26ABC2", "WF",
                "inbound/X26ABC1/MSG-1.dat", 3));
        assertThat(ledger.startInbound("X26ABC1", "MSG-1")).as("stored: left as it is").isEqualTo(stored);
        assertThat(ledger.startInbound("X26ABC2", "MSG-1").attempts()).as("another mailbox's").isEqualTo(1);
    }

    @Test
    void concurrentStartsOfOneDownloadMakeOneRow() throws Exception {
        List<InboundRecord> started = concurrently(8, () -> ledger.startInbound("X26ABC1", "RACE"));

        assertThat(started).allSatisfy(record -> assertThat(record.state()).isEqualTo(InboundState.DOWNLOADING));
        assertThat(ledger.inbound(InboundState.values())).hasSize(1);
    }

    @Test
    void recordsARoundOfDeliveredEventsTogether() {
        InboundRecord one = ledger.updateInbound(ledger.startInbound("X26ABC1", "IN-1")
                .stored("DATA", "X26ABC2", "WF", "inbound/X26ABC1/IN-1.dat", 3).withState(InboundState.ACKNOWLEDGED));
        InboundRecord two = ledger.updateInbound(ledger.startInbound("X26ABC1", "IN-2")
                .stored("DATA", "X26ABC2", "WF", "inbound/X26ABC1/IN-2.dat", 4).withState(InboundState.ACKNOWLEDGED));
        InboundRecord untouched = ledger.updateInbound(ledger.startInbound("X26ABC1", "IN-3")
                .stored("DATA", "X26ABC2", "WF", "inbound/X26ABC1/IN-3.dat", 5).withState(InboundState.ACKNOWLEDGED));
        OutboundRecord sent = ledger.updateOutbound(ledger.recordOutbound("outbound/a.csv", 10, MODIFIED)
                .sending("X26ABC1", "X26ABC2", "WF", "local-a", 0, false, START).accepted("MSG-A", START));
        OutboundRecord owedStill = ledger.updateOutbound(ledger.recordOutbound("outbound/b.csv", 10, MODIFIED)
                .sending("X26ABC1", "X26ABC2", "WF", "local-b", 0, false, START).accepted("MSG-B", START));
        clock.advance(Duration.ofSeconds(2));

        ledger.eventsDelivered(new DeliveredEvents(List.of(new DeliveredEvents.Received("X26ABC1", "IN-1"),
                new DeliveredEvents.Received("X26ABC1", "IN-2")), List.of(new DeliveredEvents.Sent(sent.id(),
                OutboundState.ACCEPTED))));

        assertThat(ledger.findInbound("X26ABC1", "IN-1")).contains(new InboundRecord("X26ABC1", "IN-1",
                InboundState.ACKNOWLEDGED, "DATA", "X26ABC2", "WF", "inbound/X26ABC1/IN-1.dat", 3, true, null, 1,
                one.createdAt(), clock.instant()));
        assertThat(ledger.findInbound("X26ABC1", "IN-2").orElseThrow().eventEmitted()).isTrue();
        assertThat(ledger.findInbound("X26ABC1", "IN-3")).contains(untouched);
        assertThat(ledger.inboundToFinish("X26ABC1")).extracting(InboundRecord::messageId).containsExactly("IN-3");
        assertThat(ledger.outboundEventsOwed()).extracting(owed -> owed.record().id())
                .containsExactly(owedStill.id());
        assertThat(ledger.findOutbound(sent.id())).as("nothing else of the record changes").contains(sent);
        assertThat(two.eventEmitted()).isFalse();

        ledger.eventsDelivered(new DeliveredEvents(List.of(), List.of()));
        ledger.close();
        ledger = reopenLedger(clock);
        assertThat(ledger.inboundToFinish("X26ABC1")).as("after a restart").extracting(InboundRecord::messageId)
                .containsExactly("IN-3");
    }

    @Test
    void aNodeWhoseLeaseRanOutCannotWriteOverTheOwnerThatTookItOver() throws Exception {
        OutboundRecord queued = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED);
        try (Ledger otherNode = openAnotherLedger(clock)) {
            OutboundClaim first = ledger.claimOutbound(queued.id(), "node-a", Duration.ofMillis(1)).orElseThrow();
            clock.advance(Duration.ofSeconds(1));
            OutboundClaim second = awaitClaim(otherNode, queued.id(), "node-b");

            OutboundRecord byB = otherNode.updateOutbound(second, queued.progress("MSG-B", 1, 2));
            assertThatThrownBy(() -> ledger.updateOutbound(first, queued.progress("MSG-A", 1, 2)))
                    .isInstanceOf(StaleClaimException.class);
            assertThat(ledger.renewOutbound(first, Duration.ofMinutes(1))).isFalse();
            assertThat(ledger.findOutbound(queued.id())).contains(byB);
            assertThat(ledger.claimOutbound(queued.id(), "node-a", Duration.ofMinutes(1))).isEmpty();
        }
    }

    @Test
    void aClaimedUpdateOfAnotherOrUnknownRecordFails() {
        OutboundRecord one = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED);
        OutboundRecord two = ledger.recordOutbound("outbound/y.csv", 7, MODIFIED);
        OutboundClaim claim = ledger.claimOutbound(one.id(), "node-a", Duration.ofMinutes(1)).orElseThrow();

        assertThatThrownBy(() -> ledger.updateOutbound(claim, two.withState(OutboundState.SENDING)))
                .isInstanceOf(IllegalArgumentException.class);
        OutboundClaim ghost = new OutboundClaim(two.id() + 100, "node-a", 1);
        assertThatThrownBy(() -> ledger.updateOutbound(ghost, new OutboundRecord(ghost.recordId(), "outbound/z.csv",
                1, MODIFIED, OutboundState.SENDING, null, null, null, null, null, 0, 0, 0, false, null, null, false, 0,
                null, START, START, null, null))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.findOutbound(two.id())).contains(two);
    }

    /** The other node's claim, once the first node's lease has run out by the ledger's own time. */
    private static OutboundClaim awaitClaim(Ledger node, long id, String owner) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var claim = node.claimOutbound(id, owner, Duration.ofMinutes(1));
            if (claim.isPresent()) {
                return claim.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError(owner + " could not claim outbound record " + id);
    }

    @Test
    void reopeningKeepsEverything() {
        OutboundRecord outbound = ledger.updateOutbound(ledger.recordOutbound("outbound/x.csv", 7, MODIFIED)
                .sending("X26ABC1", "X26ABC2", "WF", null, 1024, false, clock.instant()));
        InboundRecord inbound = ledger.updateInbound(ledger.recordInbound("X26ABC1", "MSG-1").withEventEmitted());
        ledger.close();

        ledger = reopenLedger(clock);

        assertThat(ledger.findOutbound(outbound.id())).contains(outbound);
        assertThat(ledger.findInbound("X26ABC1", "MSG-1")).contains(inbound);
        assertThat(ledger.recordOutbound("outbound/x.csv", 7, MODIFIED)).isEqualTo(outbound);
        assertThat(ledger.recordOutbound("outbound/y.csv", 7, MODIFIED).id()).isGreaterThan(outbound.id());
    }

    /** Runs {@code task} on {@code threads} threads released together, and returns what each returned. */
    protected static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A clock the test moves by hand. */
    @Test
    void keepsEachMailboxsLastHandshakeAndPollWithTheLastFailureUntilAPollWorks() {
        assertThat(ledger.mailboxActivity("X26ABC1")).isEmpty();

        ledger.recordHandshake("X26ABC1", java.util.Optional.empty());
        clock.advance(Duration.ofSeconds(1));
        ledger.recordPoll("X26ABC1", 7);
        clock.advance(Duration.ofSeconds(1));
        ledger.recordPollFailure("X26ABC1", "MESH unavailable");
        ledger.recordHandshake("X26ABC2", java.util.Optional.of("401: mailbox password refused"));

        assertThat(ledger.mailboxActivity("X26ABC1")).contains(new MailboxActivity("X26ABC1", START, null,
                START.plusSeconds(1), 7, "MESH unavailable", START.plusSeconds(2)));
        assertThat(ledger.mailboxActivity("X26ABC2")).contains(new MailboxActivity("X26ABC2", START.plusSeconds(2),
                "401: mailbox password refused", null, 0, null, null));

        clock.advance(Duration.ofSeconds(1));
        ledger.recordPoll("X26ABC1", 0);
        ledger.recordHandshake("X26ABC2", java.util.Optional.empty());
        try (Ledger another = openAnotherLedger(clock)) {
            assertThat(another.mailboxActivity("X26ABC1")).contains(new MailboxActivity("X26ABC1", START, null,
                    START.plusSeconds(3), 0, null, null));
            assertThat(another.mailboxActivity("X26ABC2")).hasValueSatisfying(activity -> {
                assertThat(activity.handshakeFailed()).isFalse();
                assertThat(activity.handshakeAt()).isEqualTo(START.plusSeconds(3));
            });
        }
    }

    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
