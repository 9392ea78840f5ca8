package meshgate.gateway.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on one JDBC connection: the ledger calls of every thread queue for one writer thread, which runs them
 * in order, as many as have queued (up to {@value #MOST_PER_COMMIT}) in one transaction, commits it, and only then
 * lets each call return. A call that fails is undone alone (to a savepoint taken before it) and the others commit;
 * a commit that fails fails every call in it. So a call returns only once what it wrote is committed, as in
 * auto-commit, and no call sees another's write before that write is committed: reads queue with the writes. Under
 * load, many calls share one commit (one write of the database file) instead of one each.
 */
final class GroupCommit {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** The most calls in one transaction: enough to share a commit widely, few enough to keep each wait short. */
    static final int MOST_PER_COMMIT = 100;

    private final Connection connection;
    private final String description;
    private final BlockingQueue<Call<?>> calls = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** Guards {@link #closing} with the queue, so that nothing is queued after the call that stops the writer. */
    private final Object queueing = new Object();
    private boolean closing;
    /** The last call, queued by {@link #close}: it closes the connection, and the writer stops after it. */
    private volatile Call<Void> last;
    /** Calls run and transactions committed so far, written by the writer alone. */
    private volatile long callsRun;
    private volatile long transactions;

    /** Takes {@code connection} over (out of auto-commit) and starts its writer thread. */
    GroupCommit(Connection connection, String description) throws SQLException {
        this.connection = connection;
        this.description = description;
        connection.setAutoCommit(false);
        this.writer = new Thread(this::write, "ledger-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Runs {@code work} on the connection in the writer's next transaction and returns its result once committed.
     * Waits without regard to interrupts, as a lock would: the call is queued and runs either way.
     *
     * @throws LedgerException when the work or the commit fails with an {@link SQLException}
     */
    <T> T run(String what, Work<T> work) {
        Call<T> call = new Call<>(what, work);
        synchronized (queueing) {
            if (closing) {
                throw new IllegalStateException("ledger " + description + " is closed");
            }
            calls.add(call);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return call.done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw (Error) cause;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many calls wait for the writer, beside the ones it is running. */
    int queued() {
        return calls.size();
    }

    /**
     * Runs every call queued so far, then stops the writer and closes the connection.
     *
     * @return false when it was closed already
     */
    boolean close() {
        Call<Void> closeCall = new Call<>("close", connection -> {
            connection.commit();
            connection.close();
            return null;
        });
        synchronized (queueing) {
            if (closing) {
                return false;
            }
            closing = true;
            last = closeCall;
            calls.add(closeCall);
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            closeCall.done.get();
            return true;
        } catch (InterruptedException | ExecutionException e) {
            throw new LedgerException("cannot close ledger " + description, e.getCause());
        }
    }

    private void write() {
        List<Call<?>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(calls.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, by its last call
            }
            calls.drainTo(batch, MOST_PER_COMMIT - 1);
            Call<?> end = batch.get(batch.size() - 1);
            boolean stop = end == last;
            runAndCommit(stop ? batch.subList(0, batch.size() - 1) : batch);
            if (stop) {
                end.runAlone(connection);
                end.complete();
                return;
            }
            batch.clear();
        }
    }

    /** Calls run so far, and transactions committed: how widely commits are shared. */
    long callsRun() {
        return callsRun;
    }

    long transactions() {
        return transactions;
    }

    private void runAndCommit(List<Call<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (Call<?> call : batch) {
            call.runInTransaction(connection);
        }
        callsRun += batch.size();
        transactions++;
        try {
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            LOG.warn("event=ledger.commit_failed ledger={} calls={} reason=\"{}\"", description, batch.size(),
                    e.toString());
            for (Call<?> call : batch) {
                call.failCommit(e);
            }
        }
        for (Call<?> call : batch) {
            call.complete();
        }
    }

    /** Work on the connection, inside the writer's transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final class Call<T> {
        private final String what;
        private final Work<T> work;
        private final CompletableFuture<T> done = new CompletableFuture<>();
        private T result;
        private RuntimeException failure;

        Call(String what, Work<T> work) {
            this.what = what;
            this.work = work;
        }

        void runInTransaction(Connection connection) {
            Savepoint before;
            try {
                // One name for every call's savepoint (each replaces the one before): the same SQL each time,
                // which the database parses once and keeps.
                before = connection.setSavepoint("call");
            } catch (SQLException e) {
                failure = failed(e);
                return;
            }
            try {
                result = work.run(connection);
                connection.releaseSavepoint(before);
            } catch (SQLException | RuntimeException | Error e) {
                failure = e instanceof SQLException sql ? failed(sql)
                        : e instanceof RuntimeException runtime ? runtime
                        : new LedgerException("cannot " + what + " in ledger " + description, e);
                try {
                    connection.rollback(before);
                } catch (SQLException rollback) {
                    failure.addSuppressed(rollback);
                }
            }
        }

        void runAlone(Connection connection) {
            try {
                result = work.run(connection);
            } catch (SQLException e) {
                failure = failed(e);
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        void failCommit(SQLException e) {
            if (failure == null) {
                failure = new LedgerException("cannot commit (" + what + ") in ledger " + description, e);
            }
        }

        private LedgerException failed(SQLException e) {
            return new LedgerException("cannot " + what + " in ledger " + description, e);
        }

        void complete() {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(result);
            }
        }
    }
}
