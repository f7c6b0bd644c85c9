package io.transflux.connectors.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load-and-fault suite (issue #13): the callback server runs in a child JVM with its journal and is killed with
 * SIGKILL ({@link Process#destroyForcibly()}) four times while 50 signed callbacks arrive four at a time, and
 * restarted on the same journal. Callbacks that got no 200 are sent again, as OSS retries them. Three kills fall at
 * seeded random moments; one falls exactly between a job's effect and its {@code done} record (the target holds its
 * answer after the effect until the child is dead). Each job's effect is its delivery to an {@link IdempotentTarget}
 * that honours the {@code Idempotency-Key} header as the IETF draft describes; the child sends the job's key with
 * every delivery. Every job answered 200 must have its effect exactly once at the target, none lost, none invented;
 * the redeliveries a crash forced are counted by the journal and reported, and the target must have answered them
 * from its stored results.
 */
@Tag("load")
class CallbackServerKillTest {

    static final int JOBS = 50;
    static final long SEED = 1309L;
    static final int KILLED_LIVES = 4;
    /** The life whose kill lands between an effect and its done record. */
    static final int KILL_AFTER_EFFECT_LIFE = 1;

    @TempDir
    Path journal;

    @Test
    void killedWithSigkillAtRandomPointsAndAfterAnEffectEveryJobAnswered200HasItsEffectExactlyOnce() throws Exception {
        Random rnd = new Random(SEED);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Set<String> answered200 = ConcurrentHashMap.newKeySet();
        int kills = 0;
        long redeliveriesReported = 0;
        boolean killedAfterEffect = false;
        Map<String, Integer> effects;
        Map<String, Integer> deliveries;
        int replays;
        int conflicts;
        try (IdempotentTarget target = new IdempotentTarget(); CallbackKeys keys = new CallbackKeys()) {
            String targetUrl = "http://127.0.0.1:" + target.port() + "/deliver";
            List<Integer> toSend = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                toSend.add(i);
            }
            boolean settled = false;
            for (int life = 0; !settled; life++) {
                assertThat(life).as("server lives needed").isLessThan(40);
                long lifeStart = System.nanoTime();
                boolean killThisLife = life < KILLED_LIVES;
                boolean killAfterEffect = life == KILL_AFTER_EFFECT_LIFE;
                // armed before the child starts: the first effect may be a job it replays at start-up
                CompletableFuture<String> firstEffect = killAfterEffect ? target.holdAnswers() : null;
                Process p = start(keys, targetUrl);
                BufferedReader out = output(p);
                long[] banner = banner(out);
                int port = (int) banner[0];
                redeliveriesReported += banner[2];
                long startedMs = (System.nanoTime() - lifeStart) / 1_000_000;
                // the other killed lives end in a kill after a random delay, or right after their last answer
                // (each child JVM start costs seconds on a loaded machine)
                long killAfterMs = 50 + rnd.nextInt(600);
                long born = System.nanoTime();
                List<Integer> unanswered = new ArrayList<>();
                try {
                    for (int from = 0; from < toSend.size(); from += 4) {
                        List<Integer> batch = toSend.subList(from, Math.min(from + 4, toSend.size()));
                        List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
                        for (int job : batch) {
                            fs.add(post(http, keys, port, job));
                        }
                        if (killAfterEffect && p.isAlive()) {
                            // the target did the work and holds its answer: the child cannot have written done
                            firstEffect.get(60, TimeUnit.SECONDS);
                            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                            target.release();
                            kills++;
                            killedAfterEffect = true;
                        } else if (killThisLife && !killAfterEffect && p.isAlive()
                                && System.nanoTime() - born > TimeUnit.MILLISECONDS.toNanos(killAfterMs)) {
                            // waited for, so that the child is not counted as killed twice
                            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                            kills++;
                        }
                        for (int k = 0; k < batch.size(); k++) {
                            HttpResponse<String> r = fs.get(k).handle((x, e) -> e == null ? x : null).get();
                            if (r != null && r.statusCode() == 200) {
                                assertThat(r.body()).isEqualTo(CallbackServer.OK_BODY);
                                answered200.add(key(batch.get(k)));
                            } else {
                                unanswered.add(batch.get(k));
                            }
                        }
                    }
                    if (killThisLife && p.isAlive()) {
                        // jobs may still be running in the background: kill now, mid-run
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                        kills++;
                    }
                    if (!killThisLife) {
                        // a life left alone: replayed and new jobs drain
                        awaitEffects(target, answered200);
                        settled = unanswered.isEmpty() && target.effects().keySet().containsAll(answered200);
                        // a job's effect shows at the target just before its done record is written: stopping the
                        // child now could leave that job pending; only the killed lives may do that
                        assertThat(drain(p, out)).as("jobs still pending in a life left alone").isZero();
                    }
                } finally {
                    target.release();
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                System.out.println("callback kill test: life " + life + " started in " + startedMs + " ms, replayed "
                        + banner[1] + " (" + banner[2] + " redeliveries), lasted "
                        + (System.nanoTime() - lifeStart) / 1_000_000 + " ms, sent " + toSend.size() + ", unanswered "
                        + unanswered.size() + ", effects so far " + target.effects().size());
                toSend = unanswered;
            }
            // one more restart on the same journal: nothing pending remains, so nothing runs again
            Map<String, Integer> before = target.deliveries();
            Process last = start(keys, targetUrl);
            try {
                long[] banner = banner(output(last));
                assertThat(banner[1]).as("jobs pending after every job was done").isZero();
                Thread.sleep(500);
                assertThat(target.deliveries()).as("a clean restart replays nothing").isEqualTo(before);
            } finally {
                last.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            effects = target.effects();
            deliveries = target.deliveries();
            replays = target.replays();
            conflicts = target.conflicts();
        }

        long redelivered = deliveries.values().stream().filter(n -> n > 1).count();
        System.out.println("callback kill test: " + kills + " kills, " + JOBS + " jobs, " + redeliveriesReported
                + " redeliveries reported by the journal, " + redelivered + " jobs delivered more than once "
                + deliveries.values().stream().filter(n -> n > 1).toList() + ", " + replays
                + " answered from the target's stored results, " + conflicts + " answered 409 (still in progress)");
        assertThat(answered200).as("every job was eventually answered 200").hasSize(JOBS);
        assertThat(effects.keySet()).as("jobs with an effect: each answered one, nothing invented")
                .containsExactlyInAnyOrderElementsOf(answered200);
        assertThat(effects).as("effects per job").allSatisfy((job, n) -> assertThat(n).as(job).isEqualTo(1));
        assertThat(kills).as("kills").isEqualTo(KILLED_LIVES);
        assertThat(killedAfterEffect).as("a kill fell between an effect and its done record").isTrue();
        // that kill forces at least one redelivery, which the journal knows of and the target collapses
        assertThat(redeliveriesReported).as("redeliveries reported by the journal").isPositive();
        assertThat(replays).as("redeliveries answered from the target's stored results")
                .isPositive().isLessThanOrEqualTo((int) redeliveriesReported);
        // a repeat needs a kill between a delivery and its done record (a job replayed at start-up can be caught by
        // the next kill too): no job is delivered more often than once plus once per kill
        int k = kills;
        assertThat(deliveries.values()).allSatisfy(n -> assertThat(n).isBetween(1, 1 + k));
    }

    static String key(int job) {
        return "photos\nin/obj-" + job + ".jpg\n\"etag-" + job + "\"";
    }

    Process start(CallbackKeys keys, String targetUrl) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                CallbackChild.class.getName(), journal.toString(), keys.hostAndPort(), targetUrl)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static BufferedReader output(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The child's first line: port, jobs it replays, and how many of those are redeliveries. */
    static long[] banner(BufferedReader out) throws Exception {
        String line = out.readLine();
        assertThat(line).as("callback child's first line").isNotNull().matches("PORT \\d+ PENDING \\d+ REDELIVERIES \\d+");
        String[] w = line.split(" ");
        return new long[] {Long.parseLong(w[1]), Long.parseLong(w[3]), Long.parseLong(w[5])};
    }

    static CompletableFuture<HttpResponse<String>> post(HttpClient http, CallbackKeys keys, int port, int job)
            throws Exception {
        String body = "bucket=photos&object=in%2Fobj-" + job + ".jpg&etag=%22etag-" + job + "%22&size=" + job;
        String path = "/cb?x=1";
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", keys.sign(path + "\n" + body))
                .header("x-oss-pub-key-url", CallbackKeys.b64(keys.url("/key.pem")))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    /** Asks the child to wait until its journal holds no pending job; returns how many it still holds. */
    static long drain(Process p, BufferedReader out) throws Exception {
        p.getOutputStream().write("DRAIN\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        String line = out.readLine();
        assertThat(line).as("callback child's answer to DRAIN").isNotNull().matches("DRAINED \\d+");
        return Long.parseLong(line.substring("DRAINED ".length()));
    }

    static void awaitEffects(IdempotentTarget target, Set<String> answered) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!target.effects().keySet().containsAll(answered) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }
}
