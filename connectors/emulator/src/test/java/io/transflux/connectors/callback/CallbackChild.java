package io.transflux.connectors.callback;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The callback server in a child JVM, for the crash tests: {@code CallbackChild <journal dir> <key host:port>
 * <target url>} opens the journal, replays it, verifies callbacks against keys served by {@code key host:port},
 * and runs each job by POSTing its idempotency key to {@code target url} (a job succeeds on a 200). Prints
 * {@code PORT <n>} once listening and serves until killed.
 */
final class CallbackChild {

    private CallbackChild() {
    }

    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.create().responseTimeout(Duration.ofSeconds(10));
        String target = args[2];
        CallbackHandler handler = job -> client.post().uri(target)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(job.key().getBytes(StandardCharsets.UTF_8))))
                .responseSingle((res, body) -> res.status().code() == 200 ? body.then()
                        : Mono.error(new IllegalStateException("target answered " + res.status().code())));
        CallbackJournal journal = CallbackJournal.open(Path.of(args[0]));
        // a loaded test machine can take more than the default 2 s to serve the first key
        CallbackVerifier verifier = CallbackVerifier.create(KeyUrlPolicy.ossOnly().allowLocalHost(args[1]),
                HttpKeyResolver.create(Duration.ofSeconds(10), HttpKeyResolver.DEFAULT_TTL,
                        HttpKeyResolver.DEFAULT_CACHE_SIZE, Clock.systemUTC()));
        CallbackServer server = CallbackServer.start("127.0.0.1", 0, verifier, journal, handler);
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
