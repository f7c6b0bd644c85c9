package io.transflux.connectors.callback;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Receives OSS upload callbacks over Reactor Netty: verifies each ({@link CallbackVerifier}; any failure is 403
 * with an empty body, as is a body over {@value CallbackVerifier#MAX_BODY_BYTES} bytes), parses it into a
 * {@link CallbackJob} (400 when {@code bucket}, {@code object} or {@code etag} is missing), journals it to disk,
 * answers 200 {@value #OK_BODY}, and only then runs the {@link CallbackHandler} in the background. A callback
 * whose (bucket, object, ETag) was seen before is answered the same way and not run again. At start the
 * journal's pending jobs are run again. Answers are well inside OSS's 5 s budget as long as the key fetch is
 * (2 s timeout, then cached).
 *
 * <p><b>Delivery guarantee.</b> Before a job's handler first runs, a started record is forced to the journal; the
 * done record follows the handler's success. A crash between the two (the effect happened, the done record did not)
 * cannot be told apart from a crash before the effect, so the job is run again at the next start: a
 * <em>redelivery</em>, counted by {@link #redeliveries()}. Jobs are delivered at least once; a job's effect happens
 * exactly once when the handler's effect is idempotent under {@link CallbackJob#idempotencyKey()}, e.g. a delivery
 * to an HTTP target that honours the {@value CallbackJob#IDEMPOTENCY_KEY_HEADER} header. (The same bytes written
 * again to a key fixed by the job leave the same object, but the store sees a second write.)
 */
public final class CallbackServer implements AutoCloseable {

    public static final String OK_BODY = "{\"Status\":\"OK\"}";

    private final CallbackVerifier verifier;
    private final CallbackJournal journal;
    private final CallbackHandler handler;
    private final DisposableServer server;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong redeliveries = new AtomicLong();

    private CallbackServer(String host, int port, CallbackVerifier verifier, CallbackJournal journal,
            CallbackHandler handler) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.handler = Objects.requireNonNull(handler, "handler");
        for (CallbackJob job : journal.pending()) {
            run(job);
        }
        this.server = HttpServer.create().host(host).port(port)
                .handle(this::serve)
                .bindNow(Duration.ofSeconds(10));
    }

    /** Replays the journal's pending jobs, then listens on {@code host:port} (0 for any free port). */
    public static CallbackServer start(String host, int port, CallbackVerifier verifier, CallbackJournal journal,
            CallbackHandler handler) {
        return new CallbackServer(host, port, verifier, journal, handler);
    }

    public int port() {
        return server.port();
    }

    /**
     * Jobs run again since start although a delivery of theirs had started before a crash: their effect may have
     * happened once already, and only the handler's idempotency keeps it from happening twice.
     */
    public long redeliveries() {
        return redeliveries.get();
    }

    /** Jobs whose handler failed since start; they stay pending in the journal. */
    public long failures() {
        return failures.get();
    }

    private Mono<Void> serve(HttpServerRequest req, HttpServerResponse res) {
        if (!req.method().name().equals("POST")) {
            return res.status(HttpResponseStatus.METHOD_NOT_ALLOWED).send();
        }
        String length = req.requestHeaders().get("Content-Length");
        if (length != null && !(length.trim().matches("\\d{1,9}")
                && Long.parseLong(length.trim()) <= CallbackVerifier.MAX_BODY_BYTES)) {
            return forbidden(res);
        }
        return req.receive().asByteArray()
                .reduce(new ByteArrayOutputStream(), (acc, b) -> {
                    if (acc.size() + b.length > CallbackVerifier.MAX_BODY_BYTES) {
                        throw CallbackVerifier.Rejected.INSTANCE;
                    }
                    acc.writeBytes(b);
                    return acc;
                })
                .map(ByteArrayOutputStream::toByteArray)
                .flatMap(body -> {
                    CallbackRequest cb = new CallbackRequest(req.uri(), req.requestHeaders().get("authorization"),
                            req.requestHeaders().get("x-oss-pub-key-url"), req.requestHeaders().get("Content-Type"), body);
                    return verifier.verify(cb).then(Mono.fromCallable(() -> CallbackJob.parse(cb.contentType(), body)));
                })
                .flatMap(job -> Mono.fromCallable(() -> journal.accept(job))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(isNew -> {
                            byte[] ok = OK_BODY.getBytes(StandardCharsets.UTF_8);
                            return res.status(200).header("Content-Type", "application/json")
                                    .header("Content-Length", Integer.toString(ok.length))
                                    .sendByteArray(Mono.just(ok)).then()
                                    .doOnSuccess(v -> {
                                        if (isNew) {
                                            run(job);
                                        }
                                    });
                        }))
                .onErrorResume(CallbackVerifier.Rejected.class, e -> forbidden(res))
                .onErrorResume(IllegalArgumentException.class, e -> res.status(HttpResponseStatus.BAD_REQUEST)
                        .header("Content-Length", "0").send());
    }

    private static Mono<Void> forbidden(HttpServerResponse res) {
        return res.status(HttpResponseStatus.FORBIDDEN).header("Content-Length", "0").send();
    }

    private void run(CallbackJob job) {
        Mono.fromCallable(() -> journal.started(job)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(again -> {
                    if (again) {
                        redeliveries.incrementAndGet();
                    }
                    return handler.handle(job, again);
                })
                .then(Mono.fromRunnable(() -> journal.done(job)).subscribeOn(Schedulers.boundedElastic()))
                .subscribe(v -> { }, e -> failures.incrementAndGet());
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
