package io.transflux.connectors.url;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.transflux.connectors.ErrorMapping;
import io.transflux.connectors.ErrorReply;
import io.transflux.connectors.GetObjectRequest;
import io.transflux.connectors.HeadReply;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.SourceOpener;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.SigV4Check;
import io.transflux.pipeline.Limits;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Transform on read behind a function URL. A {@code GET /{key}} (or {@code /{bucket}/{key}}) event becomes a
 * GetObject of the configured bucket, presigned with the function's credentials and fetched by the HTTP source
 * (resume, host guard, timeouts), then the {@link ObjectLambdaFunction}'s pipeline, Range/partNumber on the
 * transformed bytes and error mapping, answered as an {@link HttpReply}. HEAD answers the transformed object's
 * headers. A CDN in front gets a {@link DerivedETag deterministic ETag}, 304 on {@code If-None-Match}, and the
 * configured {@code Cache-Control}. Bad paths are refused before any source request ({@link ObjectPath}).
 *
 * <p><b>Errors:</b> the returned {@code Mono} does not fail for request failures: they are S3-style XML replies with
 * the mapped status. A failure after the status is committed (past the core's 8 MiB hold) fails the reply's body,
 * which the runtime must report in the streaming error trailers.
 */
public final class ObjectUrlFunction {

    /** Seconds a response may stream; Lambda's longest function timeout by default. */
    public static final String DEADLINE_ENV = "TRANSFLUX_URL_DEADLINE_SECONDS";
    public static final long DEFAULT_DEADLINE_SECONDS = 900;
    /** The cap on transformed output bytes. */
    public static final String MAX_OUTPUT_ENV = "TRANSFLUX_MAX_OUTPUT_BYTES";

    private static final Set<String> METHODS = Set.of("GET", "HEAD");

    private final ObjectLambdaFunction fn;
    private final UrlFunctionSpec spec;
    private final SourceOpener opener;
    private final AwsCredentials credentials;
    private final Clock clock;

    private ObjectUrlFunction(ObjectLambdaFunction fn, UrlFunctionSpec spec, SourceOpener opener,
            AwsCredentials credentials, Clock clock) {
        this.fn = fn;
        this.spec = spec;
        this.opener = opener;
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * @param fn          the pipeline, limits and checksum settings (its source opener is replaced by {@code opener})
     * @param opener      opens presigned source URLs, normally {@link HttpSourceOpener}
     * @param credentials the function's role credentials, which sign the source request
     */
    public static ObjectUrlFunction create(ObjectLambdaFunction fn, UrlFunctionSpec spec, SourceOpener opener,
            AwsCredentials credentials) {
        return new ObjectUrlFunction(Objects.requireNonNull(fn, "fn"), Objects.requireNonNull(spec, "spec"),
                Objects.requireNonNull(opener, "opener"), Objects.requireNonNull(credentials, "credentials"),
                Clock.systemUTC());
    }

    /**
     * The deployed function: pipeline from {@code TRANSFLUX_PIPELINE}, {@link UrlFunctionSpec#fromEnvironment},
     * source hosts from {@link HttpSourceOpener#ALLOW_ENV}. A function URL streams for as long as the function's
     * timeout (up to 15 minutes), not Object Lambda's 60 s: the pipeline deadline and the source's total deadline
     * are {@value #DEADLINE_ENV} (default {@value #DEFAULT_DEADLINE_SECONDS} s); the output cap is
     * {@value #MAX_OUTPUT_ENV} (default {@link Limits#DEFAULT_MAX_OUTPUT_BYTES}).
     */
    public static ObjectUrlFunction fromEnvironment(Map<String, String> env) {
        Duration deadline = Duration.ofSeconds(positive(env, DEADLINE_ENV, DEFAULT_DEADLINE_SECONDS));
        long maxOut = positive(env, MAX_OUTPUT_ENV, Limits.DEFAULT_MAX_OUTPUT_BYTES);
        List<String> allowed = new ArrayList<>();
        String hosts = env.get(HttpSourceOpener.ALLOW_ENV);
        if (hosts != null) {
            for (String h : hosts.split(",")) {
                if (!h.isBlank()) {
                    allowed.add(h.trim());
                }
            }
        }
        HttpSourceOpener opener = HttpSourceOpener.create(HttpSourceSpec.builder()
                .hostGuard(HttpSourceOpener.guard(allowed)).httpsOnly(allowed.isEmpty()).totalDeadline(deadline).build());
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder().pipelineFromEnvironment(env).sourceOpener(opener)
                .limits(Limits.defaults().toBuilder().deadline(deadline).maxOutputBytes(maxOut).build()).build();
        return create(fn, UrlFunctionSpec.fromEnvironment(env), opener, AwsCredentials.fromEnvironment(env));
    }

    /** Answers one function-URL event (payload format 2.0). Nothing happens until subscribed. */
    public Mono<HttpReply> handle(byte[] event) {
        return Mono.defer(() -> {
            FunctionUrlEvent ev;
            try {
                ev = FunctionUrlEvent.parse(event);
            } catch (RuntimeException e) {
                return Mono.just(error(e, "", false));
            }
            boolean head = ev.method().equals("HEAD");
            try {
                if (!METHODS.contains(ev.method())) {
                    return Mono.just(withAllow(errorReply(405, "MethodNotAllowed",
                            "The specified method is not allowed against this resource.", ev.requestId(), false)));
                }
                ObjectPath path = ObjectPath.parse(ev.rawPath(), spec);
                io.transflux.pipeline.Pipeline pipeline = spec.pipelineFor(path, fn.pipeline());
                EtagGate gate = new EtagGate(presigning(), pipeline, ev.header("if-none-match"));
                ObjectLambdaFunction per = fn.toBuilder().sourceOpener(gate).pipeline(pipeline).build();
                String range = ev.header("range");
                String partNumber = ev.queryParameter("partNumber");
                if (head) {
                    return per.headObject(spec.objectUri(path).toString(), Map.of(), range, partNumber)
                            .map(r -> headReply(r, gate, ev.requestId()));
                }
                String url = spec.objectUri(path).toString();
                boolean checksum = "ENABLED".equalsIgnoreCase(ev.header("x-amz-checksum-mode"));
                GetObjectRequest req = new GetObjectRequest(ev.requestId(), url, Map.of(), range, partNumber, checksum);
                return Mono.<HttpReply>create(sink -> {
                    ReplyWriter w = new ReplyWriter(sink, gate, spec, ev.requestId());
                    // The outcome arrives once the body has streamed; only a core that wrote nothing fails here.
                    Disposable d = per.getObject(req, w).subscribe(outcome -> {
                        if (!w.wrote()) {
                            sink.error(new IllegalStateException("the function core answered nothing"));
                        }
                    }, e -> {
                        if (!w.wrote()) {
                            sink.error(e);
                        }
                    });
                    sink.onCancel(d);
                });
            } catch (RuntimeException e) {
                return Mono.just(error(e, ev.requestId(), head));
            }
        });
    }

    /**
     * Opens the source URLs the core passes (unsigned) presigned with the function's credentials, for the method
     * actually sent: query SigV4, so the HTTP source can resume with {@code Range} + {@code If-Match} (unsigned
     * headers) without re-signing, and a HEAD that must count the transformed length can also GET (S3 binds the
     * method into the signature). Presigned URLs are secrets and stay inside the HTTP source.
     */
    private SourceOpener presigning() {
        return new SourceOpener() {
            @Override
            public io.transflux.pipeline.source.ObjectSource get(String url, Map<String, String> headers) {
                return opener.get(presign("GET", url), headers);
            }

            @Override
            public io.transflux.pipeline.source.ObjectSource head(String url, Map<String, String> headers) {
                return opener.head(presign("HEAD", url), headers);
            }
        };
    }

    private String presign(String method, String url) {
        return SigV4Check.presign(method, url, Map.of(), credentials, spec.region(), "s3", spec.presignExpiry(), clock);
    }

    private HttpReply headReply(HeadReply r, EtagGate gate, String requestId) {
        if (r.statusCode() >= 400) {
            return errorReply(r.statusCode(), r.errorCode(), r.errorMessage(), requestId, true);
        }
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.remove("ETag");
        String tag = gate.derivedETag();
        if (tag != null) {
            h.put("ETag", tag);
        }
        if (spec.cacheControl() != null) {
            h.put("Cache-Control", spec.cacheControl());
        }
        if (r.statusCode() == 304) {
            h.keySet().retainAll(Set.of("ETag", "Cache-Control", "Last-Modified"));
        }
        h.putIfAbsent("Content-Type", "application/octet-stream");
        return new HttpReply(r.statusCode(), h, Flux.empty());
    }

    private static long positive(Map<String, String> env, String name, long dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(name + ": actual '" + (v.length() > 32 ? v.substring(0, 32) : v)
                + "', expected a positive integer");
    }

    private static HttpReply error(Throwable e, String requestId, boolean head) {
        ErrorReply r = ErrorMapping.map(e);
        return errorReply(r.status(), r.code(), r.message(), requestId, head);
    }

    private static HttpReply withAllow(HttpReply r) {
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.put("Allow", "GET, HEAD");
        return new HttpReply(r.status(), h, r.body());
    }

    /** An S3-style error document ({@code <Error><Code/><Message/><RequestId/></Error>}); no body for HEAD. */
    static HttpReply errorReply(int status, @Nullable String code, @Nullable String message, String requestId,
            boolean head) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/xml");
        h.put("Cache-Control", "no-store");
        if (head || code == null) {
            return new HttpReply(status, h, Flux.empty());
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + xml(code) + "</Code><Message>"
                + xml(message == null ? "" : message) + "</Message><RequestId>" + xml(requestId)
                + "</RequestId></Error>";
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        h.put("Content-Length", Integer.toString(b.length));
        return new HttpReply(status, h, Flux.just(ByteBuffer.wrap(b)));
    }

    private static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c < 0x20 ? ' ' : c);
            }
        }
        return b.toString();
    }

    static void cancel(Flux<ByteBuffer> body) {
        body.subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                s.cancel();
            }
        });
    }

    @Override
    public String toString() {
        return "ObjectUrlFunction{" + spec + ", pipeline=" + fn.pipeline() + '}';
    }
}
