package io.transflux.connectors.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes at every byte of an append: whatever prefix of a record reached the disk, the journal opens, keeps every
 * whole record, and the next record is readable after a restart (a torn tail never swallows it).
 */
class CallbackJournalCrashTest {

    @TempDir
    Path tmp;

    static CallbackJob job(int i) {
        String object = "in/obj-" + i + ".jpg";
        return new CallbackJob("bucket", object, "\"etag" + i + "\"",
                Map.of("bucket", "bucket", "object", object, "etag", "\"etag" + i + "\"", "size", Integer.toString(i)));
    }

    /** The bytes a real journal writes for: accept 1, accept 2, done 1, accept 3 (the last record). */
    byte[] fullJournal(Path dir) throws Exception {
        try (CallbackJournal j = CallbackJournal.open(dir)) {
            j.accept(job(1));
            j.accept(job(2));
            j.done(job(1));
            j.accept(job(3));
        }
        return Files.readAllBytes(dir.resolve(CallbackJournal.FILE_NAME));
    }

    static int lastRecordStart(byte[] all) {
        int i = all.length - 2;
        while (all[i] != '\n') {
            i--;
        }
        return i + 1;
    }

    @Test
    void aCrashAtEveryByteOfAnAppendKeepsWholeRecordsAndTheNextRecordReplays() throws Exception {
        byte[] all = fullJournal(tmp.resolve("full"));
        int start = lastRecordStart(all);
        for (int cut = start; cut <= all.length; cut++) {
            Path dir = tmp.resolve("cut-" + cut);
            Files.createDirectories(dir);
            // the torn write, byte by byte, as a crashing process leaves it
            try (OutputStream out = Files.newOutputStream(dir.resolve(CallbackJournal.FILE_NAME))) {
                for (int b = 0; b < cut; b++) {
                    out.write(all[b]);
                    out.flush();
                }
            }
            boolean whole = cut == all.length;
            try (CallbackJournal j = CallbackJournal.open(dir)) {
                List<String> pending = j.pending().stream().map(CallbackJob::object).toList();
                assertThat(pending).as("cut at %d of %d", cut, all.length)
                        .isEqualTo(whole ? List.of("in/obj-2.jpg", "in/obj-3.jpg") : List.of("in/obj-2.jpg"));
                // job 3 was never answered unless its record is whole: a retry must be accepted now
                assertThat(j.accept(job(3))).isEqualTo(!whole);
                assertThat(j.accept(job(4))).isTrue();
            }
            try (CallbackJournal j = CallbackJournal.open(dir)) {
                assertThat(j.pending()).extracting(CallbackJob::object).as("cut at %d", cut)
                        .containsExactly("in/obj-2.jpg", "in/obj-3.jpg", "in/obj-4.jpg");
                assertThat(j.accept(job(1))).as("done job 1 is still known").isFalse();
            }
            assertThat(Files.readAllBytes(dir.resolve(CallbackJournal.FILE_NAME))).as("file at cut %d", cut)
                    .startsWith(Arrays.copyOf(all, start));
        }
    }

    @Test
    void aCorruptedLastRecordFailsItsChecksumAndIsCut() throws Exception {
        byte[] all = fullJournal(tmp.resolve("full"));
        int start = lastRecordStart(all);
        Random random = new Random(13);
        for (int i = 0; i < 50; i++) {
            byte[] bad = all.clone();
            int at = start + random.nextInt(all.length - start - 1);
            bad[at] = (byte) (bad[at] == 'A' ? 'B' : 'A');
            Path dir = tmp.resolve("bad-" + i);
            Files.createDirectories(dir);
            Files.write(dir.resolve(CallbackJournal.FILE_NAME), bad);
            try (CallbackJournal j = CallbackJournal.open(dir)) {
                assertThat(j.pending()).extracting(CallbackJob::object).as("flip at %d", at)
                        .containsExactly("in/obj-2.jpg");
                j.accept(job(5));
            }
            try (CallbackJournal j = CallbackJournal.open(dir)) {
                assertThat(j.pending()).extracting(CallbackJob::object).containsExactly("in/obj-2.jpg", "in/obj-5.jpg");
            }
        }
    }

    @Test
    void linesWrittenBeforeChecksumsAreStillRead() throws Exception {
        byte[] all = fullJournal(tmp.resolve("full"));
        String legacy = new String(all, java.nio.charset.StandardCharsets.UTF_8).replaceAll(" #[0-9a-f]{8}\n", "\n");
        Path dir = tmp.resolve("legacy");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(CallbackJournal.FILE_NAME), legacy);
        try (CallbackJournal j = CallbackJournal.open(dir)) {
            assertThat(j.pending()).extracting(CallbackJob::object).containsExactly("in/obj-2.jpg", "in/obj-3.jpg");
        }
    }

    @Test
    void aCrashAtEveryByteOfAStartedRecordLeavesTheJobPendingAndNotYetStarted() throws Exception {
        Path full = tmp.resolve("started-full");
        try (CallbackJournal j = CallbackJournal.open(full)) {
            j.accept(job(1));
            j.accept(job(2));
            assertThat(j.started(job(2))).as("first start").isFalse();
            assertThat(j.started(job(2))).as("second start in one life").isTrue();
        }
        byte[] all = Files.readAllBytes(full.resolve(CallbackJournal.FILE_NAME));
        int start = lastRecordStart(all);
        assertThat(all[start]).isEqualTo((byte) 'S');
        for (int cut = start; cut <= all.length; cut++) {
            Path dir = tmp.resolve("started-cut-" + cut);
            Files.createDirectories(dir);
            Files.write(dir.resolve(CallbackJournal.FILE_NAME), Arrays.copyOf(all, cut));
            boolean whole = cut == all.length;
            try (CallbackJournal j = CallbackJournal.open(dir)) {
                assertThat(j.pending()).extracting(CallbackJob::object).containsExactly("in/obj-1.jpg", "in/obj-2.jpg");
                assertThat(j.wasStarted(job(1))).isFalse();
                assertThat(j.wasStarted(job(2))).as("cut at %d of %d", cut, all.length).isEqualTo(whole);
                // a torn started record means the delivery had not begun: this one is not a redelivery
                assertThat(j.started(job(2))).isEqualTo(whole);
                j.done(job(2));
            }
            try (CallbackJournal j = CallbackJournal.open(dir)) {
                assertThat(j.pending()).extracting(CallbackJob::object).containsExactly("in/obj-1.jpg");
                assertThat(j.accept(job(2))).as("done job 2 is still known").isFalse();
                assertThat(j.started(job(2))).as("a done job is not started again").isFalse();
            }
        }
    }
}
