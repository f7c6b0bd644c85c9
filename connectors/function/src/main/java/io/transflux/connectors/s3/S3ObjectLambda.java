package io.transflux.connectors.s3;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.transflux.connectors.ErrorMapping;
import io.transflux.connectors.ErrorReply;
import io.transflux.connectors.GetObjectRequest;
import io.transflux.connectors.HeadReply;
import io.transflux.connectors.InvocationOutcome;
import io.transflux.connectors.ListReply;
import io.transflux.connectors.MalformedEventException;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.ObjectResponse;
import io.transflux.connectors.ResponseWriter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import io.transflux.pipeline.internal.secret.LogSafe;

/**
 * Dispatches one S3 Object Lambda event to the {@link ObjectLambdaFunction}: GetObject streams through WGOR;
 * HeadObject, ListObjects and ListObjectsV2 return the JSON reply the platform expects. The access point's
 * {@code configuration.payload} configures the function per invocation. Each invocation logs one line through
 * {@code System.Logger} {@value #LOGGER}, with no URL, token or credential.
 *
 * <p>Embedding in another function:
 * <pre>{@code
 * S3ObjectLambda lambda = S3ObjectLambda.create(
 *         ObjectLambdaFunction.builder().pipeline(Pipeline.parse("decompress/auto")).sourceOpener(opener).build(),
 *         S3WgorClient.fromEnvironment(System.getenv()));
 * String reply = lambda.handle(eventBytes).block(Duration.ofSeconds(60)).replyJson();
 * }</pre>
 */
public final class S3ObjectLambda {

    public static final String LOGGER = "io.transflux.connectors.s3";
    private static final System.Logger LOG = System.getLogger(LOGGER);

    private final ObjectLambdaFunction function;
    private final S3WgorClient wgor;

    private S3ObjectLambda(ObjectLambdaFunction function, S3WgorClient wgor) {
        this.function = Objects.requireNonNull(function, "function");
        this.wgor = Objects.requireNonNull(wgor, "wgor");
    }

    public static S3ObjectLambda create(ObjectLambdaFunction function, S3WgorClient wgor) {
        return new S3ObjectLambda(function, wgor);
    }

    /**
     * The result of one invocation: the JSON the handler returns, and for GetObject the outcome.
     *
     * @param operation {@code GetObject}, {@code HeadObject}, {@code ListObjects}, {@code ListObjectsV2} or
     *                  {@code Unknown} for an unreadable event
     */
    public record Result(String operation, String replyJson, @Nullable InvocationOutcome outcome) {
    }

    /** Handles one raw event. Never fails: every failure becomes an error reply (or a logged reason). */
    public Mono<Result> handle(byte[] event) {
        long t0 = System.nanoTime();
        S3Events.Parsed parsed;
        try {
            parsed = S3Events.parse(event);
        } catch (MalformedEventException e) {
            return malformed(e, t0);
        }
        S3ObjectLambdaEvent ev = parsed.event();
        switch (parsed.kind()) {
            case GET_OBJECT:
                return getObject(ev);
            case HEAD_OBJECT:
                return headObject(ev);
            default:
                return listObjects(ev, parsed.kind() == S3Events.Kind.LIST_OBJECTS ? "ListObjects" : "ListObjectsV2");
        }
    }

    private Mono<Result> getObject(S3ObjectLambdaEvent ev) {
        S3ObjectLambdaEvent.GetObjectContext g = Objects.requireNonNull(ev.getObjectContext());
        String url = Objects.requireNonNull(g.inputS3Url());
        Map<String, String> callerHeaders = ev.userRequest() == null ? null : ev.userRequest().headers();
        String userUrl = ev.userRequest() == null ? null : ev.userRequest().url();
        ResponseWriter writer = wgor.writer(Objects.requireNonNull(g.outputRoute()), Objects.requireNonNull(g.outputToken()));
        GetObjectRequest req = new GetObjectRequest(ev.xAmzRequestId(), url, S3SourceHeaders.forSource(url, callerHeaders),
                S3SourceHeaders.range(callerHeaders, userUrl), S3SourceHeaders.partNumber(userUrl),
                S3SourceHeaders.checksumRequested(callerHeaders));
        Mono<InvocationOutcome> run;
        try {
            run = configured(ev).getObject(req, writer);
        } catch (RuntimeException e) {
            run = answer(writer, ErrorMapping.map(e), System.nanoTime());
        }
        return run.map(o -> {
            log(o.succeeded() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "GetObject requestId=" + ev.xAmzRequestId() + " token=" + LogSafe.token(g.outputToken()) + " "
                            + o.toLogLine());
            return new Result("GetObject", "{\"statusCode\":" + o.status() + "}", o);
        });
    }

    private Mono<Result> headObject(S3ObjectLambdaEvent ev) {
        String url = Objects.requireNonNull(Objects.requireNonNull(ev.headObjectContext()).inputS3Url());
        Map<String, String> caller = ev.userRequest() == null ? null : ev.userRequest().headers();
        String userUrl = ev.userRequest() == null ? null : ev.userRequest().url();
        Mono<HeadReply> reply;
        try {
            reply = configured(ev).headObject(url, S3SourceHeaders.forSource(url, caller),
                    S3SourceHeaders.range(caller, userUrl), S3SourceHeaders.partNumber(userUrl));
        } catch (RuntimeException e) {
            ErrorReply r = ErrorMapping.map(e);
            reply = Mono.just(new HeadReply(r.status(), r.code(), r.message(), Map.of()));
        }
        return reply.map(h -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("statusCode", h.statusCode());
            if (h.errorCode() != null) {
                json.put("errorCode", h.errorCode());
                json.put("errorMessage", h.errorMessage());
            }
            json.put("headers", h.headers());
            log(System.Logger.Level.INFO, "HeadObject requestId=" + ev.xAmzRequestId() + " status=" + h.statusCode()
                    + (h.errorCode() == null ? "" : " errorCode=" + h.errorCode()));
            return new Result("HeadObject", toJson(json), null);
        });
    }

    private Mono<Result> listObjects(S3ObjectLambdaEvent ev, String operation) {
        S3ObjectLambdaEvent.InputContext c = ev.listObjectsContext() != null ? ev.listObjectsContext()
                : ev.listObjectsV2Context();
        String url = Objects.requireNonNull(Objects.requireNonNull(c).inputS3Url());
        Map<String, String> caller = ev.userRequest() == null ? null : ev.userRequest().headers();
        Mono<ListReply> reply;
        try {
            reply = configured(ev).listObjects(url, S3SourceHeaders.forSource(url, caller));
        } catch (RuntimeException e) {
            ErrorReply r = ErrorMapping.map(e);
            reply = Mono.just(new ListReply(r.status(), r.code(), r.message(), null));
        }
        return reply.map(l -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("statusCode", l.statusCode());
            if (l.errorCode() != null) {
                json.put("errorCode", l.errorCode());
                json.put("errorMessage", l.errorMessage());
            }
            if (l.listResultXml() != null) {
                json.put("listResultXml", l.listResultXml());
            }
            log(System.Logger.Level.INFO, operation + " requestId=" + ev.xAmzRequestId() + " status=" + l.statusCode()
                    + (l.errorCode() == null ? "" : " errorCode=" + l.errorCode()));
            return new Result(operation, toJson(json), null);
        });
    }

    private ObjectLambdaFunction configured(S3ObjectLambdaEvent ev) {
        return function.withPayload(ev.configuration() == null ? null : ev.configuration().payload());
    }

    private Mono<Result> malformed(MalformedEventException e, long t0) {
        ErrorReply r = ErrorMapping.map(e);
        if (!e.canAnswer()) {
            log(System.Logger.Level.ERROR, "event rejected, no WGOR possible (no usable outputRoute/outputToken): "
                    + e.getMessage());
            InvocationOutcome o = new InvocationOutcome(0, r.code(), InvocationOutcome.Delivery.NONE, 0, 0, Map.of(),
                    Duration.ofNanos(System.nanoTime() - t0));
            return Mono.just(new Result("Unknown", toJson(errorJson(r)), o));
        }
        ResponseWriter writer = wgor.writer(Objects.requireNonNull(e.outputRoute()), Objects.requireNonNull(e.outputToken()));
        return answer(writer, r, t0).map(o -> {
            log(System.Logger.Level.ERROR, "event rejected: " + e.getMessage() + "; answered through WGOR: "
                    + o.toLogLine());
            return new Result("GetObject", toJson(errorJson(r)), o);
        });
    }

    private static Mono<InvocationOutcome> answer(ResponseWriter writer, ErrorReply r, long t0) {
        return writer.write(ObjectResponse.error(r))
                .then(Mono.fromCallable(() -> new InvocationOutcome(r.status(), r.code(), InvocationOutcome.Delivery.SENT,
                        0, 0, Map.of(), Duration.ofNanos(System.nanoTime() - t0))))
                .onErrorResume(x -> Mono.just(new InvocationOutcome(r.status(), r.code(),
                        InvocationOutcome.Delivery.FAILED, 0, 0, Map.of(), Duration.ofNanos(System.nanoTime() - t0))));
    }

    private static Map<String, Object> errorJson(ErrorReply r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("statusCode", r.status());
        json.put("errorCode", r.code());
        json.put("errorMessage", r.message());
        return json;
    }

    private static String toJson(Map<String, Object> json) {
        return S3Events.toJson(json);
    }

    private static void log(System.Logger.Level level, String line) {
        LOG.log(level, line);
    }
}
