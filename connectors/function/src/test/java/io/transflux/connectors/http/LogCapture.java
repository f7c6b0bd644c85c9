package io.transflux.connectors.http;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures every java.util.logging record published while installed, message and stack trace
 * included. Reactor (with {@code reactor.logging.fallback=JDK}, set for this module's tests) and Netty
 * both log through it when no SLF4J binding is present.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final SimpleFormatter formatter = new SimpleFormatter();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    static LogCapture install() {
        LogCapture capture = new LogCapture();
        capture.root.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder sb = new StringBuilder(formatter.format(record));
        if (record.getThrown() != null) {
            StringWriter sw = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(sw));
            sb.append(sw);
        }
        lines.add(sb.toString());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
