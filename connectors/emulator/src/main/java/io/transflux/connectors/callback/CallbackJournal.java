package io.transflux.connectors.callback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An append-only journal of accepted callback jobs in {@code <dir>/}{@value #FILE_NAME}: {@code A} lines
 * (key, fields) are forced to disk before the callback is answered, {@code D} lines once the job is done.
 * Opening it reads which jobs are pending (accepted, not done) so that they can be replayed, and which keys
 * were seen, for idempotency. A torn last line (a crash mid-write) is ignored. Thread-safe.
 */
public final class CallbackJournal implements AutoCloseable {

    public static final String FILE_NAME = "callbacks.journal";

    private final FileChannel channel;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, CallbackJob> pending = new LinkedHashMap<>();

    private CallbackJournal(FileChannel channel) {
        this.channel = channel;
    }

    public static CallbackJournal open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        CallbackJournal j = new CallbackJournal(FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            j.replayLine(line);
        }
        return j;
    }

    private void replayLine(String line) {
        String[] p = line.split(" ", -1);
        try {
            if (p.length >= 2 && p[0].equals("A")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 2; i + 1 < p.length; i += 2) {
                    fields.put(decode(p[i]), decode(p[i + 1]));
                }
                CallbackJob job = new CallbackJob(fields.get("bucket"), fields.get("object"), fields.get("etag"), fields);
                if (job.key().equals(decode(p[1])) && seen.add(job.key())) {
                    pending.put(job.key(), job);
                }
            } else if (p.length == 2 && p[0].equals("D")) {
                String key = decode(p[1]);
                seen.add(key);
                pending.remove(key);
            }
        } catch (IllegalArgumentException | NullPointerException torn) {
            // a partly written last line: the callback it belonged to was never answered
        }
    }

    /**
     * Records {@code job} durably unless its key was seen before.
     *
     * @return true when the job is new and must be run; false for a replayed callback
     */
    public synchronized boolean accept(CallbackJob job) {
        if (!seen.add(job.key())) {
            return false;
        }
        StringBuilder line = new StringBuilder("A ").append(encode(job.key()));
        job.fields().forEach((k, v) -> line.append(' ').append(encode(k)).append(' ').append(encode(v)));
        append(line.append('\n').toString());
        pending.put(job.key(), job);
        return true;
    }

    /** Marks {@code job} done. */
    public synchronized void done(CallbackJob job) {
        if (pending.remove(job.key()) != null) {
            append("D " + encode(job.key()) + "\n");
        }
    }

    /** Jobs accepted but not done, oldest first. */
    public synchronized List<CallbackJob> pending() {
        return new ArrayList<>(pending.values());
    }

    private void append(String line) {
        try {
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("callback journal: write failed", e);
        }
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
