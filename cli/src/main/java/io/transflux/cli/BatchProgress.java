package io.transflux.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.transflux.connectors.batch.TaskResult;

/**
 * Progress of {@code transflux batch} on stderr: objects done (of the total when known), failures, bytes read and
 * written, object and byte rates and an ETA. On a terminal one line is redrawn four times a second; otherwise a
 * plain line is printed every {@code plainEvery} seconds and once at the end, so logs stay readable.
 */
final class BatchProgress {

    private static final int WIDTH = 20;

    private final PrintWriter err;
    private final boolean terminal;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;

    private BatchProgress(PrintWriter err, boolean terminal, long total, long plainEverySeconds) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "transflux-batch-progress");
            t.setDaemon(true);
            return t;
        });
        long period = terminal ? 250 : plainEverySeconds * 1000;
        timer.scheduleAtFixedRate(this::draw, period, period, TimeUnit.MILLISECONDS);
    }

    /** @param total objects to do, or -1 when unknown (a prefix being listed) */
    static BatchProgress start(PrintWriter err, boolean terminal, long total, long plainEverySeconds) {
        return new BatchProgress(err, terminal, total, plainEverySeconds);
    }

    void record(TaskResult r) {
        done.incrementAndGet();
        bytesIn.addAndGet(r.bytesIn());
        bytesOut.addAndGet(r.bytesOut());
        if (!r.succeeded()) {
            failed.incrementAndGet();
        } else if (r.skipped()) {
            skipped.incrementAndGet();
        }
    }

    long done() {
        return done.get();
    }

    long failed() {
        return failed.get();
    }

    long skipped() {
        return skipped.get();
    }

    void finish() {
        timer.shutdownNow();
        draw();
        if (terminal) {
            synchronized (err) {
                err.print('\n');
                err.flush();
            }
        }
    }

    String line() {
        long d = done.get();
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = d / seconds;
        StringBuilder b = new StringBuilder();
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, d * WIDTH / total);
            b.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            b.append(d).append('/').append(total).append(" objects");
        } else {
            b.append(d).append(" objects");
        }
        b.append(", ").append(failed.get()).append(" failed, ").append(skipped.get()).append(" skipped")
                .append("  in ").append(Progress.size(bytesIn.get()))
                .append("  out ").append(Progress.size(bytesOut.get()))
                .append(String.format(Locale.ROOT, "  %.1f obj/s", rate))
                .append("  ").append(Progress.size((long) (bytesIn.get() / seconds))).append("/s");
        if (total > 0 && d < total && rate > 0) {
            long eta = (long) ((total - d) / rate);
            b.append(String.format(Locale.ROOT, "  ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
        }
        return b.toString();
    }

    private void draw() {
        String l = line();
        synchronized (err) {
            if (terminal) {
                err.print("\r" + l + "   ");
            } else {
                err.println("progress: " + l);
            }
            err.flush();
        }
    }
}
