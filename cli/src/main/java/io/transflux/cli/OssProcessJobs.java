package io.transflux.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import io.netty.buffer.Unpooled;
import io.transflux.connectors.accesspoint.LocalAccessPoint;
import io.transflux.connectors.callback.CallbackJob;
import io.transflux.connectors.oss.OssCredentials;
import io.transflux.connectors.oss.OssSigner;
import io.transflux.connectors.oss.OssStore;
import io.transflux.connectors.process.SaveAs;
import io.transflux.connectors.upload.StoreEndpoint;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The callback-server job that lets an OSS endpoint do the work: {@code POST /{bucket}/{object}?x-oss-process}
 * with {@code x-oss-process=<process>|sys/saveas,o_<prefix+object>[,b_<bucket>]}, V1-signed. Against
 * {@code transflux serve --flavor oss} the result lands in serve's {@code --root}. Each request carries the job's
 * {@code Idempotency-Key}; the save itself targets a key fixed by the job, so a redelivery after a crash rewrites
 * the same object rather than making another.
 */
final class OssProcessJobs {

    static final String FORM = "application/x-www-form-urlencoded";

    private final OssStore store;
    private final String process;
    private final String targetPrefix;
    private final @Nullable String targetBucket;
    private final HttpClient http = HttpClient.create();

    private OssProcessJobs(OssStore store, String process, String targetPrefix, @Nullable String targetBucket) {
        this.store = store;
        this.process = process;
        this.targetPrefix = targetPrefix;
        this.targetBucket = targetBucket;
    }

    /** @throws IllegalArgumentException for an endpoint that is not {@code http(s)://host[:port]} */
    static OssProcessJobs create(String endpoint, Map<String, String> env, String process, String targetPrefix,
            @Nullable String targetBucket) {
        String id = env.get("ALIBABA_CLOUD_ACCESS_KEY_ID");
        String secret = env.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        OssCredentials c = id != null && !id.isEmpty() && secret != null && !secret.isEmpty()
                ? new OssCredentials(id, secret, env.get("ALIBABA_CLOUD_SECURITY_TOKEN"))
                : new OssCredentials(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY,
                        null);
        OssStore store = OssStore.create(endpoint, LocalAccessPoint.DEFAULT_OSS_REGION, c).signer(OssSigner.V1)
                .pathStyle(pathStyle(URI.create(endpoint).getHost()));
        return new OssProcessJobs(store, process, targetPrefix, targetBucket);
    }

    private static boolean pathStyle(String host) {
        return host.equalsIgnoreCase("localhost") || host.startsWith("[") || host.matches("[0-9.]+");
    }

    Mono<Void> run(CallbackJob job, PrintWriter err) {
        return Mono.defer(() -> {
            SaveAs target = new SaveAs(targetPrefix + job.object(), targetBucket);
            String spec = process.isBlank() ? target.toString() : process + "|" + target;
            byte[] form = ("x-oss-process=" + spec).getBytes(StandardCharsets.UTF_8);
            TreeMap<String, @Nullable String> query = new TreeMap<>();
            query.put("x-oss-process", null);
            StoreEndpoint.Prepared p = store.prepare("POST", job.bucket(), job.object(), query,
                    Map.of("Content-Type", FORM));
            // OSS itself ignores it; a gateway or service in between that honours the draft collapses redeliveries
            return http.headers(h -> {
                        p.headers().forEach(h::set);
                        h.set(CallbackJob.IDEMPOTENCY_KEY_HEADER, job.idempotencyKeyField());
                    })
                    .post().uri(p.url())
                    .send(Mono.just(Unpooled.wrappedBuffer(form)))
                    .responseSingle((res, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                            .flatMap(text -> {
                                if (res.status().code() != 200) {
                                    return Mono.error(new IllegalStateException("process-and-save answered "
                                            + res.status().code() + " " + errorCode(text)));
                                }
                                err.println("saved " + text);
                                err.flush();
                                return Mono.<Void>empty();
                            }))
                    .doOnError(e -> {
                        err.println("job failed for " + job.bucket() + "/" + job.object() + ": " + e.getMessage());
                        err.flush();
                    })
                    .then();
        });
    }

    /** The {@code <Code>} of an OSS error document; the message is not echoed. */
    private static String errorCode(String xml) {
        int a = xml.indexOf("<Code>");
        int b = xml.indexOf("</Code>");
        return a >= 0 && b > a ? xml.substring(a + 6, b) : "";
    }

    @Override
    public String toString() {
        return "OssProcessJobs{" + store + '}';
    }
}
