package meshgate.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import meshgate.client.MessageContent;

/**
 * Progress of one transfer on standard error: a bar redrawn in place on a terminal, a plain line every few seconds
 * otherwise, and a summary at the end. Fed by counting the bytes that pass; it never holds any of them.
 */
final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long PLAIN_LINE_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private final String verb;
    private final long total;
    private final LongSupplier nanoTime;
    private final long started;
    private final boolean silent;
    private long done;
    private long lastShown;
    private int lastWidth;

    /**
     * @param verb what is happening, e.g. {@code send}
     * @param total bytes expected, or -1 when not known in advance
     */
    Progress(PrintWriter err, boolean terminal, String verb, long total, LongSupplier nanoTime, boolean silent) {
        this.err = err;
        this.terminal = terminal;
        this.verb = verb;
        this.total = total;
        this.nanoTime = nanoTime;
        this.silent = silent;
        this.started = nanoTime.getAsLong();
        this.lastShown = started;
    }

    static Progress of(PrintWriter err, CliEnvironment environment, String verb, long total, boolean quiet) {
        return new Progress(err, environment.interactive(), verb, total, System::nanoTime, quiet);
    }

    /** Bytes done so far; never goes back (a retried chunk is read again from its start). */
    synchronized void reached(long position) {
        if (position <= done) {
            return;
        }
        done = position;
        long now = nanoTime.getAsLong();
        if (silent || now - lastShown < (terminal ? REDRAW_NANOS : PLAIN_LINE_NANOS)) {
            return;
        }
        lastShown = now;
        if (terminal) {
            draw(bar(now));
        } else {
            err.println(verb + ": " + plain(now));
            err.flush();
        }
    }

    synchronized void advance(long bytes) {
        reached(done + bytes);
    }

    /** The summary line, e.g. {@code sent 1.0 GiB in 17.2 s (59.5 MiB/s)}. */
    synchronized void finish(String pastTense) {
        if (silent) {
            return;
        }
        long now = nanoTime.getAsLong();
        String summary = pastTense + " " + bytes(done) + " in " + String.format(Locale.ROOT, "%.1f s",
                seconds(now)) + " (" + rate(now) + ")";
        if (terminal) {
            draw(summary);
            err.println();
        } else {
            err.println(summary);
        }
        err.flush();
    }

    String bar(long now) {
        StringBuilder line = new StringBuilder(verb).append(' ');
        if (total > 0) {
            int filled = (int) (BAR_WIDTH * Math.min(done, total) / total);
            line.append('[').append("=".repeat(filled)).append(filled < BAR_WIDTH ? ">" : "")
                    .append(" ".repeat(Math.max(0, BAR_WIDTH - filled - 1))).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%", percent())).append("  ")
                    .append(bytes(done)).append(" / ").append(bytes(total)).append("  ").append(rate(now))
                    .append("  ETA ").append(eta(now));
        } else {
            line.append(bytes(done)).append("  ").append(rate(now)).append("  ").append(clock(seconds(now)));
        }
        return line.toString();
    }

    String plain(long now) {
        return total > 0
                ? bytes(done) + " of " + bytes(total) + " (" + percent() + "%), " + rate(now) + ", ETA " + eta(now)
                : bytes(done) + ", " + rate(now);
    }

    private void draw(String line) {
        int pad = Math.max(0, lastWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        lastWidth = line.length();
    }

    private int percent() {
        return (int) (100 * Math.min(done, total) / total);
    }

    private double seconds(long now) {
        return Math.max(now - started, 1) / 1e9;
    }

    private String rate(long now) {
        return bytes((long) (done / seconds(now))) + "/s";
    }

    private String eta(long now) {
        if (done == 0) {
            return "--:--";
        }
        double perSecond = done / seconds(now);
        return clock(Math.max(0, total - done) / perSecond);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Content to send whose reads are counted: the client reads each chunk from its offset. */
    MessageContent counting(MessageContent content) {
        return new MessageContent() {
            @Override
            public long length() {
                return content.length();
            }

            @Override
            public InputStream open(long offset) throws IOException {
                InputStream in = content.open(offset);
                return new InputStream() {
                    private long position = offset;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            reached(++position);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int off, int len) throws IOException {
                        int read = in.read(buffer, off, len);
                        if (read > 0) {
                            position += read;
                            reached(position);
                        }
                        return read;
                    }

                    @Override
                    public void close() throws IOException {
                        in.close();
                    }
                };
            }

            @Override
            public String toString() {
                return content.toString();
            }
        };
    }

    /** A stream that counts what is written through it. */
    OutputStream counting(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                advance(1);
            }

            @Override
            public void write(byte[] buffer, int off, int len) throws IOException {
                out.write(buffer, off, len);
                advance(len);
            }
        };
    }
}
