package io.transflux.connectors.callback;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/**
 * The callback server in a child JVM, for the crash tests: {@code CallbackChild <journal dir> <key host:port>
 * <target url>} opens the journal, replays it, verifies callbacks against keys served by {@code key host:port},
 * and runs each job by POSTing its key to {@code target url} with the {@code Idempotency-Key} header (a job
 * succeeds on a 200; a 409, the same key still being worked on, is retried). Prints
 * {@code PORT <n> PENDING <jobs to replay> REDELIVERIES <of them started before>} once listening and serves until
 * killed. A line {@code DRAIN} on its input makes it wait (up to 60 s) until the journal holds no pending job and
 * answer {@code DRAINED <jobs still pending>}.
 */
final class CallbackChild {

    private CallbackChild() {
    }

    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.create().responseTimeout(Duration.ofSeconds(10));
        String target = args[2];
        CallbackHandler handler = job -> client.headers(h -> h.set(CallbackJob.IDEMPOTENCY_KEY_HEADER,
                        job.idempotencyKeyField()))
                .post().uri(target)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(job.key().getBytes(StandardCharsets.UTF_8))))
                .responseSingle((res, body) -> res.status().code() == 200 ? body.then()
                        : Mono.error(new IllegalStateException("target answered " + res.status().code())))
                .retryWhen(Retry.backoff(20, Duration.ofMillis(20))
                        .filter(e -> e.getMessage() != null && e.getMessage().endsWith(" 409")));
        CallbackJournal journal = CallbackJournal.open(Path.of(args[0]));
        long pending = journal.pending().size();
        long redeliveries = journal.pending().stream().filter(journal::wasStarted).count();
        // a loaded test machine can take more than the default 2 s to serve the first key
        CallbackVerifier verifier = CallbackVerifier.create(KeyUrlPolicy.ossOnly().allowLocalHost(args[1]),
                HttpKeyResolver.create(Duration.ofSeconds(10), HttpKeyResolver.DEFAULT_TTL,
                        HttpKeyResolver.DEFAULT_CACHE_SIZE, Clock.systemUTC()));
        CallbackServer server = CallbackServer.start("127.0.0.1", 0, verifier, journal, handler);
        System.out.println("PORT " + server.port() + " PENDING " + pending + " REDELIVERIES " + redeliveries);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("DRAIN")) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!journal.pending().isEmpty() && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                System.out.println("DRAINED " + journal.pending().size());
                System.out.flush();
            }
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
