package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.InvocationOutcome;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;
import io.transflux.connectors.WgorEndpoint;
import io.transflux.connectors.http.HostGuard;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.pipeline.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Load-and-fault suite (issue #13), function half: the production HTTP source ({@link HttpSourceOpener}, which
 * resumes with {@code Range} and {@code If-Match}) against a Reactor Netty origin that drops connections at seeded
 * random offsets, and a WGOR endpoint that hangs up mid-body. Everything on 127.0.0.1; one function instance (one set
 * of pools) per test.
 */
@Tag("load")
class FunctionLoadFaultTest {

    static final String SECRET = "CANARYsecretKEY";
    static final String SESSION = "CANARYsessionTOKEN";
    static final long SEED = 1313L;

    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    /**
     * One object per path; each request to it takes the next planned cut (close after that many body bytes, FIN
     * or RST) until the plan is used up. With {@code replaceAfterFirstCut} the object is replaced (new bytes, new
     * ETag) as soon as the first cut happens, so a resume that is not pinned to the first ETag would splice.
     * Honours {@code Range: bytes=N-} with 206 and {@code If-Match} with 412.
     */
    static final class CuttingOrigin implements AutoCloseable {

        static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

        final class Obj {
            volatile byte[] body;
            volatile String etag;
            final List<Integer> cuts;
            final byte[] replacement;
            final AtomicInteger requests = new AtomicInteger();

            Obj(byte[] body, String etag, List<Integer> cuts, byte[] replacement) {
                this.body = body;
                this.etag = etag;
                this.cuts = cuts;
                this.replacement = replacement;
            }
        }

        final Map<String, Obj> objects = new ConcurrentHashMap<>();
        final DisposableServer server;

        CuttingOrigin() {
            server = HttpServer.create().host("127.0.0.1").port(0).handle(this::serve).bindNow(Duration.ofSeconds(10));
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.port() + path;
        }

        private Mono<Void> serve(HttpServerRequest req, HttpServerResponse res) {
            Obj o = objects.get(req.path().startsWith("/") ? req.path() : "/" + req.path());
            if (o == null) {
                return res.status(404).send();
            }
            int n = o.requests.getAndIncrement();
            byte[] body = o.body;
            String etag = o.etag;
            String ifMatch = req.requestHeaders().get("If-Match");
            if (ifMatch != null && !ifMatch.equals(etag)) {
                return res.status(412).header("Content-Length", "0").send();
            }
            String range = req.requestHeaders().get("Range");
            int start = 0;
            if (range != null) {
                Matcher m = RANGE.matcher(range);
                if (m.matches()) {
                    start = Integer.parseInt(m.group(1));
                    res.status(206).header("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
                }
            }
            res.header("ETag", etag).header("Content-Length", Integer.toString(body.length - start));
            if (n >= o.cuts.size()) {
                return res.send(Flux.just(Unpooled.wrappedBuffer(body, start, body.length - start))).then();
            }
            int cut = Math.min(o.cuts.get(n), body.length - start - 1);
            boolean rst = (cut & 1) == 1;
            int from = start;
            return res.send(Flux.just(Unpooled.wrappedBuffer(body, from, cut))).then()
                    .then(Mono.<Void>fromRunnable(() -> {
                        if (n == 0 && o.replacement.length > 0) {
                            o.body = o.replacement;
                            o.etag = "\"v2-" + Integer.toHexString(java.util.Arrays.hashCode(o.replacement)) + "\"";
                        }
                        res.withConnection(c -> {
                            if (rst) {
                                c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                            }
                            c.channel().close();
                        });
                    }))
                    .then(Mono.never());
        }

        @Override
        public void close() {
            server.disposeNow(Duration.ofSeconds(10));
        }
    }

    S3ObjectLambda lambda(String wgorBase) {
        return lambda(wgorBase, b -> { });
    }

    S3ObjectLambda lambda(String wgorBase, java.util.function.Consumer<ObjectLambdaFunction.Builder> tune) {
        HttpSourceOpener opener = HttpSourceOpener.create(HttpSourceSpec.builder()
                .hostGuard(HostGuard.publicOnly().allowLoopback())
                .resumeBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).build());
        ObjectLambdaFunction.Builder b = ObjectLambdaFunction.builder().payloadPolicy(PayloadPolicy.APPLY)
                .pipeline(Pipeline.empty()).sourceOpener(opener);
        tune.accept(b);
        ObjectLambdaFunction fn = b.build();
        return S3ObjectLambda.create(fn, S3WgorClient.fromEnvironment(SigV4Verifier.env(wgorBase, SECRET, SESSION)));
    }

    static String event(String url, String token) {
        return "{\"xAmzRequestId\":\"" + token + "\",\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\""
                + url + "\",\"outputRoute\":\"io-euw1-001\",\"outputToken\":\"" + token + "\"},"
                + "\"configuration\":{\"accessPointArn\":\"arn:aws:s3-object-lambda:eu-west-1:111122223333:accesspoint/ol\","
                + "\"supportingAccessPointArn\":\"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap\",\"payload\":\"{}\"},"
                + "\"userRequest\":{\"url\":\"https://x/k\",\"headers\":{}},\"userIdentity\":{\"type\":\"AssumedRole\"}}";
    }

    static InvocationOutcome invoke(S3ObjectLambda l, String url, String token) {
        S3ObjectLambda.Result r = l.handle(event(url, token).getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(60));
        assertThat(r).isNotNull();
        assertThat(r.outcome()).as("outcome of %s", token).isNotNull();
        return r.outcome();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void sourceResetsAtRandomOffsetsGiveExactObjectsOrTypedErrorsNeverASplicedObject() throws Exception {
        CuttingOrigin origin = new CuttingOrigin();
        closeAfter.add(origin);
        WgorEndpoint wgor = new WgorEndpoint();
        closeAfter.add(wgor);
        S3ObjectLambda lambda = lambda(wgor.base());
        Random rnd = new Random(SEED);
        int invocations = 100;
        byte[][] originals = new byte[invocations][];
        boolean[] replaced = new boolean[invocations];
        int[] cutCount = new int[invocations];
        for (int i = 0; i < invocations; i++) {
            int size = 1 + rnd.nextInt(512 * 1024);
            byte[] v1 = new byte[size];
            rnd.nextBytes(v1);
            // 0..5 cuts: up to 3 are within the default resume budget, 4 and 5 exhaust it
            int cuts = rnd.nextInt(6);
            List<Integer> plan = new ArrayList<>();
            for (int c = 0; c < cuts; c++) {
                plan.add(rnd.nextInt(Math.max(1, size)));
            }
            replaced[i] = cuts > 0 && rnd.nextInt(4) == 0;
            byte[] v2 = new byte[replaced[i] ? size : 0];
            rnd.nextBytes(v2);
            originals[i] = v1;
            cutCount[i] = cuts;
            origin.objects.put("/o/" + i, origin.new Obj(v1, "\"v1-" + i + "\"", plan, v2));
        }

        Map<String, InvocationOutcome> outcomes = new ConcurrentHashMap<>();
        Flux.range(0, invocations)
                .flatMap(i -> Mono.fromCallable(() -> invoke(lambda, origin.url("/o/" + i), "tok-" + i))
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                        .doOnNext(o -> outcomes.put("tok-" + i, o)), 8)
                .blockLast(Duration.ofSeconds(120));

        Map<String, WgorEndpoint.Capture> captures = new ConcurrentHashMap<>();
        WgorEndpoint.Capture c;
        while ((c = wgor.poll(500)) != null) {
            captures.put(c.header("x-amz-request-token"), c);
        }
        int exact = 0;
        int failed = 0;
        Map<String, Integer> errorCodes = new java.util.TreeMap<>();
        for (int i = 0; i < invocations; i++) {
            String tok = "tok-" + i;
            InvocationOutcome o = outcomes.get(tok);
            WgorEndpoint.Capture cap = captures.get(tok);
            assertThat(o).as(tok).isNotNull();
            if (cap != null && cap.complete() && "200".equals(cap.header("x-amz-fwd-status"))) {
                // whatever arrived as a complete 200 must be the original object, byte for byte
                assertThat(cap.bodyBytes()).as("%s length", tok).isEqualTo(originals[i].length);
                assertThat(cap.sha256()).as("%s body (cuts=%d, replaced=%b)", tok, cutCount[i], replaced[i])
                        .isEqualTo(sha256(originals[i]));
                assertThat(o.succeeded()).as("%s outcome %s", tok, o).isTrue();
                exact++;
            } else {
                assertThat(o.succeeded()).as("%s outcome %s", tok, o).isFalse();
                // a typed error, never a success: ServiceUnavailable once the body was under way (the WGOR is
                // aborted), or before it started; an object replaced mid-read is 503 ServiceUnavailable as well
                assertThat(o.errorCode()).as("%s typed error", tok).isNotNull();
                assertThat(o.delivery()).as("%s delivery", tok).isNotEqualTo(InvocationOutcome.Delivery.NONE);
                errorCodes.merge(o.errorCode() + "/" + o.delivery(), 1, Integer::sum);
                failed++;
            }
            if (!replaced[i] && cutCount[i] <= HttpSourceSpec.DEFAULT_MAX_RESUMES) {
                assertThat(o.succeeded()).as("%s: %d cuts are within the resume budget: %s", tok, cutCount[i], o).isTrue();
            }
            if (replaced[i] || cutCount[i] > HttpSourceSpec.DEFAULT_MAX_RESUMES) {
                assertThat(o.succeeded()).as("%s: replaced=%b cuts=%d must fail", tok, replaced[i], cutCount[i]).isFalse();
            }
        }
        System.out.println("source resets: " + exact + " exact, " + failed + " failed " + errorCodes);
        assertThat(exact).as("exact objects").isPositive();
        assertThat(failed).as("typed failures").isPositive();
    }

    /** A WGOR endpoint that hangs up after {@value #CUT_AT} body bytes for tokens starting with {@code cut}. */
    static final class HangingUpWgor implements AutoCloseable {

        static final int CUT_AT = 64 * 1024;
        final Map<String, String> digests = new ConcurrentHashMap<>();
        final DisposableServer server;

        HangingUpWgor() {
            server = HttpServer.create().host("127.0.0.1").port(0).handle((req, res) -> {
                String token = req.requestHeaders().get("x-amz-request-token", "");
                boolean cut = token.startsWith("cut");
                MessageDigest sha = sha();
                long[] n = {0};
                return req.receive().doOnNext(b -> {
                    byte[] a = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), a);
                    sha.update(a);
                    n[0] += a.length;
                    if (cut && n[0] >= CUT_AT) {
                        res.withConnection(c -> {
                            c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                            c.channel().close();
                        });
                    }
                }).then(Mono.defer(() -> {
                    digests.put(token, HexFormat.of().formatHex(sha.digest()));
                    return res.status(200).header("Content-Length", "0").send();
                }));
            }).bindNow(Duration.ofSeconds(10));
        }

        static MessageDigest sha() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        String base() {
            return "http://127.0.0.1:" + server.port();
        }

        @Override
        public void close() {
            server.disposeNow(Duration.ofSeconds(10));
        }
    }

    @Test
    void aWgorEndpointThatHangsUpMidBodyFailsThatInvocationAndTheNextOnesOnTheSamePoolsSucceed() throws Exception {
        CuttingOrigin origin = new CuttingOrigin();
        closeAfter.add(origin);
        HangingUpWgor wgor = new HangingUpWgor();
        closeAfter.add(wgor);
        S3ObjectLambda lambda = lambda(wgor.base());
        byte[] body = new byte[1024 * 1024];
        new Random(SEED).nextBytes(body);
        origin.objects.put("/o", origin.new Obj(body, "\"one\"", List.of(), new byte[0]));

        for (int round = 0; round < 3; round++) {
            InvocationOutcome cut = invoke(lambda, origin.url("/o"), "cut-" + round);

            assertThat(cut.succeeded()).as("hung-up invocation %s", cut).isFalse();
            assertThat(cut.delivery()).isIn(InvocationOutcome.Delivery.ABORTED, InvocationOutcome.Delivery.FAILED);
            assertThat(cut.errorCode()).as("typed error of %s", cut).isNotNull();

            int r = round;
            List<InvocationOutcome> next = Flux.range(0, 20)
                    .flatMap(i -> Mono.fromCallable(() -> invoke(lambda, origin.url("/o"), "ok-" + r + "-" + i))
                            .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 20)
                    .collectList().block(Duration.ofSeconds(60));
            assertThat(next).hasSize(20).allSatisfy(o -> assertThat(o.succeeded()).as("%s", o).isTrue());
            for (int i = 0; i < 20; i++) {
                assertThat(wgor.digests.get("ok-" + r + "-" + i)).as("ok-%d-%d", r, i).isEqualTo(sha256(body));
            }
        }
    }

    @Test
    void aFullSpoolDiskFailsTheInvocationWithATypedErrorLeavesNoFileAndTheNextOneSucceeds() throws Exception {
        try (io.transflux.testing.TinyFilesystem fs = io.transflux.testing.TinyFilesystem.mount(
                java.nio.file.Files.createTempDirectory("transflux-spool-test"), "2m")) {
            CuttingOrigin origin = new CuttingOrigin();
            closeAfter.add(origin);
            WgorEndpoint wgor = new WgorEndpoint();
            closeAfter.add(wgor);
            // a checksum header needs the whole output before the first byte: every answer is spooled
            S3ObjectLambda lambda = lambda(wgor.base(), b -> b.spoolDirectory(fs.dir())
                    .checksumDelivery(io.transflux.connectors.ChecksumDelivery.HEADER));
            Random rnd = new Random(SEED);
            byte[] big = new byte[6 * 1024 * 1024];
            rnd.nextBytes(big);
            byte[] small = new byte[512 * 1024];
            rnd.nextBytes(small);
            origin.objects.put("/big", origin.new Obj(big, "\"big\"", List.of(), new byte[0]));
            origin.objects.put("/small", origin.new Obj(small, "\"small\"", List.of(), new byte[0]));

            InvocationOutcome full = invoke(lambda, origin.url("/big"), "tok-big");

            assertThat(full.succeeded()).as("%s", full).isFalse();
            assertThat(full.errorCode()).as("typed error of %s", full).isEqualTo("ServiceUnavailable");
            WgorEndpoint.Capture cap = wgor.take();
            // retryable: another attempt, on another instance, may have room
            assertThat(cap.header("x-amz-fwd-status")).as("status sent for a full spool disk").isEqualTo("503");
            System.out.println("full spool disk: " + full + " fwd-status=" + cap.header("x-amz-fwd-status")
                    + " error-code=" + cap.header("x-amz-fwd-error-code"));
            try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(fs.dir())) {
                assertThat(left).as("spool files left behind").isEmpty();
            }

            InvocationOutcome next = invoke(lambda, origin.url("/small"), "tok-small");
            assertThat(next.succeeded()).as("%s", next).isTrue();
            WgorEndpoint.Capture ok = wgor.take();
            assertThat(ok.sha256()).isEqualTo(sha256(small));
            try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(fs.dir())) {
                assertThat(left).as("spool files left after a success").isEmpty();
            }
        }
    }
}
