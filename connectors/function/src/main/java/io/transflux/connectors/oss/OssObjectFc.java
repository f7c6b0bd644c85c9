package io.transflux.connectors.oss;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonFactory;
import io.transflux.connectors.ErrorMapping;
import io.transflux.connectors.ErrorReply;
import io.transflux.connectors.EventJson;
import io.transflux.connectors.GetObjectRequest;
import io.transflux.connectors.InvocationOutcome;
import io.transflux.connectors.MalformedEventException;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.ObjectResponse;
import io.transflux.connectors.ResponseWriter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import io.transflux.pipeline.internal.secret.LogSafe;

/**
 * Dispatches one OSS Object FC event (GetObject only; OSS offers no HEAD/LIST transforms) to the
 * {@link ObjectLambdaFunction} and answers through {@link OssWgorClient}. Logs one line per invocation through
 * {@code System.Logger} {@value #LOGGER}, without URL, token or credential.
 */
public final class OssObjectFc {

    public static final String LOGGER = "io.transflux.connectors.oss";
    static final int MAX_EVENT_BYTES = EventJson.MAX_EVENT_BYTES;
    private static final System.Logger LOG = System.getLogger(LOGGER);
    /**
     * Streaming only, no databind, as for S3 (see {@code S3Events}): this runs in every cold start's first
     * invocation. Jackson's default read constraints, as the databind reader had.
     */
    private static final JsonFactory JSON = new JsonFactory();

    private final ObjectLambdaFunction function;
    private final OssWgorClient wgor;

    private OssObjectFc(ObjectLambdaFunction function, OssWgorClient wgor) {
        this.function = Objects.requireNonNull(function, "function");
        this.wgor = Objects.requireNonNull(wgor, "wgor");
    }

    public static OssObjectFc create(ObjectLambdaFunction function, OssWgorClient wgor) {
        return new OssObjectFc(function, wgor);
    }

    /** This dispatcher signing with {@code credentials} (the FC context's, per invocation). */
    public OssObjectFc withCredentials(OssCredentials credentials) {
        return new OssObjectFc(function, wgor.credentials(credentials));
    }

    /** Handles one raw event; never fails. Returns the outcome (delivery NONE when no WGOR was possible). */
    public Mono<InvocationOutcome> handle(byte[] event) {
        long t0 = System.nanoTime();
        OssObjectFcEvent ev;
        try {
            ev = parse(event);
        } catch (MalformedEventException e) {
            return malformed(e, t0);
        }
        OssObjectFcEvent.GetObjectContext g = Objects.requireNonNull(ev.getObjectContext());
        String url = Objects.requireNonNull(g.inputOssUrl());
        Map<String, String> caller = ev.userRequest() == null || ev.userRequest().headers() == null ? Map.of()
                : ev.userRequest().headers();
        ResponseWriter writer;
        try {
            writer = wgor.writer(Objects.requireNonNull(g.outputRoute()), Objects.requireNonNull(g.outputToken()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event rejected, no WGOR possible: " + e.getMessage());
            return Mono.just(new InvocationOutcome(0, "InvalidRequest", InvocationOutcome.Delivery.NONE, 0, 0, Map.of(),
                    Duration.ofNanos(System.nanoTime() - t0)));
        }
        Map<String, String> sourceHeaders = new LinkedHashMap<>();
        for (String c : new String[] {"If-Match", "If-Modified-Since", "If-None-Match", "If-Unmodified-Since"}) {
            caller.forEach((k, v) -> {
                if (k.equalsIgnoreCase(c)) {
                    sourceHeaders.put(k, v);
                }
            });
        }
        String range = caller.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Range"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        GetObjectRequest req = new GetObjectRequest(ev.requestId(), url, sourceHeaders, range, null, false);
        Mono<InvocationOutcome> run;
        try {
            run = function.withPayload(ev.configuration() == null ? null : ev.configuration().payload())
                    .getObject(req, writer);
        } catch (RuntimeException e) {
            run = answer(writer, ErrorMapping.map(e), t0);
        }
        return run.doOnNext(o -> LOG.log(o.succeeded() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "GetObject requestId=" + ev.requestId() + " token=" + LogSafe.token(g.outputToken()) + " " + o.toLogLine()));
    }

    static OssObjectFcEvent parse(byte[] json) {
        Map<String, @Nullable Object> tree = EventJson.readObject(JSON, json);
        Object ctx = tree.get("getObjectContext");
        String route = ctx instanceof Map<?, ?> m && m.get("outputRoute") instanceof String r ? r : null;
        String token = ctx instanceof Map<?, ?> m && m.get("outputToken") instanceof String t ? t : null;
        OssObjectFcEvent e;
        try {
            Map<String, @Nullable Object> g = EventJson.object(tree, "getObjectContext");
            Map<String, @Nullable Object> c = EventJson.object(tree, "configuration");
            Map<String, @Nullable Object> u = EventJson.object(tree, "userRequest");
            e = new OssObjectFcEvent(EventJson.string(tree, "requestId"),
                    g == null ? null : new OssObjectFcEvent.GetObjectContext(EventJson.string(g, "inputOssUrl"),
                            EventJson.string(g, "outputRoute"), EventJson.string(g, "outputToken")),
                    c == null ? null : new OssObjectFcEvent.Configuration(EventJson.string(c, "payload")),
                    u == null ? null : new OssObjectFcEvent.UserRequest(EventJson.string(u, "url"),
                            EventJson.headers(u.get("headers"))));
        } catch (EventJson.WrongType ex) {
            throw new MalformedEventException("event: a field has the wrong type", route, token);
        }
        OssObjectFcEvent.GetObjectContext g = e.getObjectContext();
        if (g == null) {
            throw new MalformedEventException("getObjectContext: required, missing", null, null);
        }
        for (String[] f : new String[][] {{"getObjectContext.outputRoute", g.outputRoute()},
                {"getObjectContext.outputToken", g.outputToken()}, {"getObjectContext.inputOssUrl", g.inputOssUrl()}}) {
            if (f[1] == null || f[1].isEmpty()) {
                throw new MalformedEventException(f[0] + ": required, missing", route, token);
            }
        }
        if (!(g.inputOssUrl().startsWith("https://") || g.inputOssUrl().startsWith("http://"))) {
            throw new MalformedEventException("getObjectContext.inputOssUrl: expected an absolute http(s) URL", route, token);
        }
        return e;
    }

    /**
     * The {@code statusCode} of the function's own reply: the WGOR status, 400 for an event so malformed that
     * no WGOR could be sent, 500 when the invocation produced nothing.
     */
    public static int replyStatus(@org.jspecify.annotations.Nullable InvocationOutcome o) {
        if (o == null) {
            return 500;
        }
        return o.status() == 0 && o.delivery() == InvocationOutcome.Delivery.NONE ? 400 : o.status();
    }

    private Mono<InvocationOutcome> malformed(MalformedEventException e, long t0) {
        ErrorReply r = ErrorMapping.map(e);
        if (!e.canAnswer() || !wgor.permitsRoute(Objects.requireNonNull(e.outputRoute()))) {
            LOG.log(System.Logger.Level.ERROR, "event rejected, no WGOR possible (no usable outputRoute/outputToken): "
                    + e.getMessage());
            return Mono.just(new InvocationOutcome(0, r.code(), InvocationOutcome.Delivery.NONE, 0, 0, Map.of(),
                    Duration.ofNanos(System.nanoTime() - t0)));
        }
        ResponseWriter writer = wgor.writer(e.outputRoute(), Objects.requireNonNull(e.outputToken()));
        return answer(writer, r, t0).doOnNext(o -> LOG.log(System.Logger.Level.ERROR,
                "event rejected: " + e.getMessage() + "; answered through WGOR: " + o.toLogLine()));
    }

    private static Mono<InvocationOutcome> answer(ResponseWriter writer, ErrorReply r, long t0) {
        return writer.write(ObjectResponse.error(r))
                .then(Mono.fromCallable(() -> new InvocationOutcome(r.status(), r.code(), InvocationOutcome.Delivery.SENT,
                        0, 0, Map.of(), Duration.ofNanos(System.nanoTime() - t0))))
                .onErrorResume(x -> Mono.just(new InvocationOutcome(r.status(), r.code(),
                        InvocationOutcome.Delivery.FAILED, 0, 0, Map.of(), Duration.ofNanos(System.nanoTime() - t0))));
    }

}
