package io.transflux.connectors.accesspoint;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.Unpooled;
import io.transflux.connectors.oss.OssObjectFc;
import io.transflux.connectors.s3.S3ObjectLambda;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Runs the function on one event and yields its return value (the Head/List reply JSON; ignored for GetObject).
 * The returned {@code Mono} completes when the function has ended, which for GetObject is after its WGOR
 * request got an answer.
 */
interface FunctionInvoker {

    Mono<byte[]> invoke(Flavor flavor, byte[] event);

    /** The connectors' function core in this JVM; its WGOR requests come back to this server. */
    static FunctionInvoker inProcess(S3ObjectLambda s3, OssObjectFc oss) {
        return (flavor, event) -> flavor == Flavor.S3
                ? s3.handle(event).map(r -> r.replyJson().getBytes(StandardCharsets.UTF_8))
                : oss.handle(event).map(o -> ("{\"statusCode\":" + o.status() + "}").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An HTTP function endpoint, in the manner of a Lambda invoke or an FC HTTP trigger: the event is POSTed as
     * {@code application/json}, the response body is the return value, and a status other than 2xx is a
     * function error.
     */
    static FunctionInvoker remote(URI url, Duration timeout) {
        HttpClient client = HttpClient.create().responseTimeout(timeout).followRedirect(false).compress(false);
        return (flavor, event) -> client
                .headers(h -> h.set("Content-Type", "application/json").set("X-Transflux-Flavor", flavor.id()))
                .post()
                .uri(url)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(event)))
                .responseSingle((res, body) -> body.asByteArray().defaultIfEmpty(new byte[0]).flatMap(b -> {
                    if (res.status().code() / 100 != 2) {
                        return Mono.error(new PlatformError(500, "LambdaRuntimeError",
                                "The Lambda function failed with status " + res.status().code() + "."));
                    }
                    return Mono.just(b);
                }))
                .onErrorMap(e -> !(e instanceof PlatformError), e -> new PlatformError(400, "LambdaInvocationFailed",
                        "The Lambda function could not be invoked: " + e.getClass().getSimpleName() + "."));
    }
}
