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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * An append-only journal of accepted callback jobs in {@code <dir>/}{@value #FILE_NAME}: {@code A} records
 * (key, fields) are forced to disk before the callback is answered, an {@code S} record before the job's first
 * delivery starts, {@code D} records once the job is done. Opening it reads which jobs are pending (accepted, not
 * done) so that they can be replayed, which of those were started (their effect may already have happened, so a
 * replay is a redelivery), and which keys were seen, for idempotency. Thread-safe.
 *
 * <p>A record is one line, {@code <payload> #<crc32c of payload, 8 hex digits>\n}; the payload is Base64url
 * fields separated by spaces, so it never holds a newline or {@code #}. A crash mid-append leaves a torn
 * tail: a last line without its newline or whose checksum does not match. Opening cuts the file back to the
 * end of the last whole record before anything is appended, so the next record never lands after a fragment.
 * Lines written before checksums existed ({@code A}/{@code D} without {@code #crc}) are read when whole.
 */
public final class CallbackJournal implements AutoCloseable {

    public static final String FILE_NAME = "callbacks.journal";

    private final FileChannel channel;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, CallbackJob> pending = new LinkedHashMap<>();
    private final Set<String> started = new HashSet<>();

    private CallbackJournal(FileChannel channel) {
        this.channel = channel;
    }

    public static CallbackJournal open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        CallbackJournal j = new CallbackJournal(channel);
        try {
            byte[] all = Files.readAllBytes(file);
            int whole = j.replay(all);
            if (whole < all.length) {
                channel.truncate(whole);
                channel.force(true);
                System.getLogger(CallbackJournal.class.getName()).log(System.Logger.Level.WARNING,
                        "callback journal: cut a torn tail of " + (all.length - whole) + " bytes at offset " + whole);
            }
            channel.position(whole);
            if (created) {
                forceDirectory(dir);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return j;
    }

    /** Replays every whole record of {@code all}; returns the length of the prefix made of whole records. */
    private int replay(byte[] all) {
        int start = 0;
        while (start < all.length) {
            int nl = start;
            while (nl < all.length && all[nl] != '\n') {
                nl++;
            }
            if (nl == all.length) {
                return start;
            }
            String line = new String(all, start, nl - start, StandardCharsets.UTF_8);
            int hash = line.lastIndexOf(" #");
            if (hash >= 0) {
                String payload = line.substring(0, hash);
                if (!line.substring(hash + 2).equals(checksum(payload)) || !replayLine(payload)) {
                    return start;
                }
            } else if (!replayLine(line)) {
                return start;
            }
            start = nl + 1;
        }
        return start;
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot open a directory; the record itself is still forced
        }
    }

    static String checksum(String payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload.getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    /** Applies one record; false when it is not a well-formed record. */
    private boolean replayLine(String line) {
        String[] p = line.split(" ", -1);
        try {
            if (p.length >= 2 && p[0].equals("A")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 2; i + 1 < p.length; i += 2) {
                    fields.put(decode(p[i]), decode(p[i + 1]));
                }
                CallbackJob job = new CallbackJob(fields.get("bucket"), fields.get("object"), fields.get("etag"), fields);
                if (!job.key().equals(decode(p[1]))) {
                    return false;
                }
                if (seen.add(job.key())) {
                    pending.put(job.key(), job);
                }
                return true;
            } else if (p.length == 2 && p[0].equals("D")) {
                String key = decode(p[1]);
                seen.add(key);
                pending.remove(key);
                started.remove(key);
                return true;
            } else if (p.length == 2 && p[0].equals("S")) {
                String key = decode(p[1]);
                if (pending.containsKey(key)) {
                    started.add(key);
                }
                return true;
            }
            return false;
        } catch (IllegalArgumentException | NullPointerException malformed) {
            return false;
        }
    }

    /**
     * Records {@code job} durably unless its key was seen before.
     *
     * @return true when the job is new and must be run; false for a replayed callback
     */
    public synchronized boolean accept(CallbackJob job) {
        if (seen.contains(job.key())) {
            return false;
        }
        StringBuilder line = new StringBuilder("A ").append(encode(job.key()));
        job.fields().forEach((k, v) -> line.append(' ').append(encode(k)).append(' ').append(encode(v)));
        append(line.toString());
        seen.add(job.key());
        pending.put(job.key(), job);
        return true;
    }

    /**
     * Records durably that a delivery of {@code job} is about to start, unless one was recorded before: from now on
     * a replay of the job may repeat an effect and is a redelivery.
     *
     * @return true when an earlier delivery was started (this one is a redelivery)
     */
    public synchronized boolean started(CallbackJob job) {
        if (!pending.containsKey(job.key()) || started.contains(job.key())) {
            return started.contains(job.key());
        }
        append("S " + encode(job.key()));
        started.add(job.key());
        return false;
    }

    /** Whether a delivery of the pending {@code job} was started before (by this process or one that crashed). */
    public synchronized boolean wasStarted(CallbackJob job) {
        return started.contains(job.key());
    }

    /** Marks {@code job} done. */
    public synchronized void done(CallbackJob job) {
        if (pending.remove(job.key()) != null) {
            started.remove(job.key());
            append("D " + encode(job.key()));
        }
    }

    /** Jobs accepted but not done, oldest first. */
    public synchronized List<CallbackJob> pending() {
        return new ArrayList<>(pending.values());
    }

    /** Writes one record and forces it to disk before returning. */
    private void append(String payload) {
        try {
            ByteBuffer b = ByteBuffer.wrap((payload + " #" + checksum(payload) + "\n").getBytes(StandardCharsets.UTF_8));
            long before = channel.position();
            try {
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                channel.force(false);
            } catch (IOException e) {
                // leave no fragment for the next record to land after
                channel.truncate(before);
                channel.position(before);
                throw e;
            }
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
