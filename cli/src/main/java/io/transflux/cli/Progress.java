package io.transflux.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr, redrawn four times a second: bytes read (with a percentage when the
 * input length is known), bytes written and the output rate. Disabled, every method is a no-op.
 */
final class Progress {

    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final boolean enabled;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong wrote = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile long total = -1;
    private ScheduledExecutorService timer;

    private Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    static Progress start(PrintWriter err, boolean enabled) {
        Progress p = new Progress(err, enabled);
        if (enabled) {
            p.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "transflux-progress");
                t.setDaemon(true);
                return t;
            });
            p.timer.scheduleAtFixedRate(p::draw, 250, 250, TimeUnit.MILLISECONDS);
        }
        return p;
    }

    void total(OptionalLong length) {
        total = length.orElse(-1);
    }

    void read(long n) {
        read.addAndGet(n);
    }

    void wrote(long n) {
        wrote.addAndGet(n);
    }

    void finish() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
            draw();
            synchronized (err) {
                err.print('\n');
                err.flush();
            }
        }
    }

    private void draw() {
        if (!enabled) {
            return;
        }
        long r = read.get();
        long t = total;
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        StringBuilder line = new StringBuilder("\r");
        if (t > 0) {
            int filled = (int) Math.min(WIDTH, r * WIDTH / t);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%% ", Math.min(100, r * 100 / t)));
        }
        line.append("in ").append(size(r)).append("  out ").append(size(wrote.get()))
                .append("  ").append(size((long) (wrote.get() / seconds))).append("/s   ");
        synchronized (err) {
            err.print(line);
            err.flush();
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
