package io.transflux.cli;

import java.util.ArrayDeque;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Holds the function's own log records (the platform log line {@code S3ObjectLambda}/{@code OssObjectFc} write
 * through {@code System.Logger}) while {@code invoke} runs, so the command's typed {@code error:} line can be the
 * first line on stderr, as for {@code run}. The records are written after it, unchanged. At most
 * {@link #MAX_RECORDS} are held; older ones are dropped first, and the count of dropped records is written.
 */
final class DeferredLog implements AutoCloseable {

    static final int MAX_RECORDS = 1_000;

    private final Logger logger = Logger.getLogger("io.transflux");
    private final boolean parentHandlers;
    private final ArrayDeque<LogRecord> held = new ArrayDeque<>();
    private int dropped;
    private final Handler holder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (held) {
                if (held.size() == MAX_RECORDS) {
                    held.removeFirst();
                    dropped++;
                }
                held.addLast(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private boolean released;

    private DeferredLog() {
        parentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(holder);
    }

    /** Starts holding records of the {@code io.transflux} loggers. */
    static DeferredLog hold() {
        return new DeferredLog();
    }

    /** Stops holding, and writes what was held to stderr through the JDK's console handler. Idempotent. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        logger.removeHandler(holder);
        logger.setUseParentHandlers(parentHandlers);
        ConsoleHandler console = new ConsoleHandler();
        synchronized (held) {
            if (dropped > 0) {
                System.err.println("(" + dropped + " earlier log records were dropped)");
            }
            for (LogRecord r : held) {
                if (logger.isLoggable(r.getLevel())) {
                    console.publish(r);
                }
            }
            held.clear();
        }
        console.flush();
    }
}
