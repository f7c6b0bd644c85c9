package io.transflux.connectors.http;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import io.netty.channel.ChannelOption;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SourceException;
import io.transflux.pipeline.source.ObjectSource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import io.transflux.pipeline.internal.secret.LogSafe;

/**
 * Reads one object from a presigned URL ({@code inputS3Url}, an OSS presigned GET, the local access
 * point) over Reactor Netty, resuming with {@code Range} + {@code If-Match} when the connection breaks.
 *
 * <pre>{@code
 * HttpSourceClient client = HttpSourceClient.create();          // one per process; dispose on shutdown
 * ObjectSource source = HttpObjectSource.builder(event.inputS3Url())
 *         .client(client)
 *         .spec(spec)                                           // shared HttpSourceSpec
 *         .requestHeaders(event.userRequestHeaders())          // forwarded only if signed or conditional
 *         .build();
 * }</pre>
 *
 * <h2>URL rules</h2>
 * The URL is sent byte for byte as given (never re-encoded). Allowed schemes are {@code https} and
 * {@code http} (the local access point speaks plain HTTP); {@link HttpSourceSpec#httpsOnly()} refuses
 * {@code http}, and production setups should set it. URLs with userinfo, a fragment, a backslash or
 * whitespace are refused, and so are addresses the {@link HostGuard} refuses: checked on the IP literal,
 * then again on the resolved address at connect time. Redirects are never followed. Messages and
 * exceptions only ever show {@link LogSafe#url(String) the redacted URL}.
 *
 * <h2>{@link #open()}</h2>
 * Sends the GET (with no {@code Accept-Encoding}; bodies are never decompressed) and, on a 2xx, emits an
 * {@link ObjectStream} whose metadata comes from the response headers and whose content streams the
 * body.
 * <ul>
 *   <li><b>Backpressure:</b> the body is read one inbound buffer per request; without demand Reactor
 *       Netty stops reading the socket. Emitted buffers are owned heap buffers of at most
 *       {@link HttpSourceSpec#chunkBytes()}; no pooled memory escapes.</li>
 *   <li><b>Cancellation:</b> cancelling the content mid-body closes the connection (it is not returned
 *       to the pool). The content may be subscribed once; a second subscriber gets an
 *       {@code IllegalStateException}.</li>
 *   <li><b>Unsubscribed content:</b> if nobody subscribes to the content within
 *       {@link HttpSourceSpec#idleReadTimeout()} of the response headers, the connection is closed and
 *       the unread buffers freed; a later subscription fails with {@code SOURCE_TIMEOUT}.</li>
 *   <li><b>Resume:</b> when the connection breaks mid-body (premature close, reset, idle timeout) the
 *       source asks for {@code Range: bytes=N-} with {@code If-Match: <etag>}, N being the bytes already
 *       delivered, and continues only on a 206 starting exactly at N with the same ETag and total. A 200,
 *       412, another ETag or 404/416 fails with {@code SOURCE_CHANGED}; a 403 with
 *       {@code SOURCE_URL_EXPIRED}. Without a strong ETag on the first reply the body is not resumed
 *       ({@code SOURCE_UNAVAILABLE}). The subscriber sees one contiguous stream; when the length is known
 *       it always receives exactly that many bytes or an error, never a short successful stream. (A body
 *       with neither {@code Content-Length} nor chunked framing ends when the server closes the
 *       connection, so a cut there cannot be told from the end; S3 and OSS always send a length.)</li>
 *   <li><b>Errors</b> are {@link SourceException}s: non-2xx replies carry the status and the store's
 *       {@code <Code>}; 5xx before the body and lost connections are retried within
 *       {@link HttpSourceSpec#maxResumes()}; timeouts, including the
 *       {@linkplain HttpSourceSpec#totalDeadline() total deadline}, are {@code SOURCE_TIMEOUT}.</li>
 * </ul>
 *
 * <h2>Logging</h2>
 * This class logs nothing. Reactor Netty logs the full request URI, signature included, at DEBUG
 * ({@code HttpClientConnect}: "Handler is being applied: {uri=...}"); keep the {@code reactor.netty}
 * loggers at INFO or above wherever presigned URLs are fetched.
 */
public final class HttpObjectSource implements ObjectSource {

    private final String url;
    private final HttpSourceSpec spec;
    private final Map<String, String> requestHeaders;
    private final HttpSourceClient sourceClient;
    private final HttpClient client;
    private final boolean head;

    private HttpObjectSource(Builder b, HttpSourceClient sourceClient) {
        this.url = b.url;
        this.spec = b.spec;
        this.requestHeaders = b.requestHeaders;
        this.sourceClient = sourceClient;
        this.client = configure(sourceClient.httpClient(), spec);
        this.head = b.head;
    }

    /** Starts a source for {@code url}, which is validated when the source is opened. */
    public static Builder builder(String url) {
        return new Builder(Objects.requireNonNull(url, "url"));
    }

    private static final HttpProtocol[] HTTP11_ONLY = {HttpProtocol.HTTP11};

    /**
     * Our safety settings on top of whatever client the caller supplied. {@code maxChunkSize} is
     * deprecated (gone in Reactor Netty 2) but still honoured: it lets the decoder hand over body pieces
     * up to the chunk size instead of 8 KiB, eight times fewer elements downstream at the default.
     */
    @SuppressWarnings("deprecation")
    private static HttpClient configure(HttpClient base, HttpSourceSpec spec) {
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, spec.connectTimeout().toMillis());
        // protocol(..) of anything but h2c loads Reactor Netty's HttpClientSecure, whose static initialiser builds
        // the default TLS contexts (HTTP/1.1, HTTP/2, HTTP/3): some 500 security classes in the first invocation,
        // before any https URL needs them. A client that already speaks only HTTP/1.1 (every HttpClient.create())
        // needs no call.
        HttpClient http11 = Arrays.equals(base.configuration().protocols(), HTTP11_ONLY) ? base
                : base.protocol(HttpProtocol.HTTP11);
        return http11.noProxy()
                .followRedirect(false)
                .compress(false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, connectMillis))
                .responseTimeout(spec.responseTimeout())
                .resolvedAddressesSelector(new GuardedAddressSelector(spec.hostGuard()))
                .httpResponseDecoder(d -> d.maxChunkSize(spec.chunkBytes()));
    }

    /**
     * Validates the URL, sends the GET and emits the object once a 2xx reply's headers are in.
     *
     * <p><b>Backpressure:</b> the content reads one inbound buffer per downstream request; without
     * demand the socket is not read. <b>Cancellation:</b> cancelling the {@code Mono} aborts the request;
     * cancelling the content closes the connection. The content is single-use and must be subscribed
     * within {@link HttpSourceSpec#idleReadTimeout()}. <b>Errors:</b> {@link SourceException} only, with
     * the codes listed in the class Javadoc; messages carry the redacted URL. <b>Limits:</b> buffers of at
     * most {@link HttpSourceSpec#chunkBytes()}; everything, retries included, within
     * {@link HttpSourceSpec#totalDeadline()} of subscription.
     *
     * @return the object's metadata and single-use content
     */
    @Override
    public Mono<ObjectStream> open() {
        return Mono.defer(() -> {
            SourceUrl parsed = SourceUrl.parse(url, spec);
            if (sourceClient.isDisposed()) {
                return Mono.error(new SourceException(ErrorCode.SOURCE_UNAVAILABLE, 0, null,
                        "GET " + parsed.redacted() + ": " + sourceClient + " is disposed"));
            }
            ForwardedHeaders forwarded;
            try {
                forwarded = ForwardedHeaders.select(requestHeaders, parsed.signedHeaders());
            } catch (IllegalArgumentException e) {
                return Mono.error(new SourceException(ErrorCode.SOURCE_NOT_ALLOWED, 0, null,
                        "GET " + parsed.redacted() + ": " + e.getMessage()));
            }
            HttpFetch fetch = new HttpFetch(client, parsed, forwarded, spec);
            return head ? fetch.head() : fetch.open();
        });
    }

    public HttpSourceSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "HttpObjectSource{" + LogSafe.url(url) + '}';
    }

    /** Collects the URL's companions; {@link #client(HttpSourceClient)} is required. */
    public static final class Builder {
        private final String url;
        private HttpSourceSpec spec = HttpSourceSpec.defaults();
        private Map<String, String> requestHeaders = Map.of();
        private @Nullable HttpSourceClient client;
        private boolean head;

        private Builder(String url) {
            this.url = url;
        }

        public Builder spec(HttpSourceSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /**
         * The caller's request headers (e.g. Object Lambda's {@code userRequest.headers}). Only those
         * named in the URL's {@code X-Amz-SignedHeaders} (except {@code host}) and the conditional
         * {@code If-Match}, {@code If-None-Match}, {@code If-Modified-Since}, {@code If-Unmodified-Since}
         * are sent; never {@code Host}, {@code Authorization} or {@code Range}.
         */
        public Builder requestHeaders(Map<String, String> headers) {
            this.requestHeaders = Map.copyOf(Objects.requireNonNull(headers, "headers"));
            return this;
        }

        public Builder client(HttpSourceClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Send {@code HEAD} instead of {@code GET}: the stream carries the reply's metadata and no content.
         * For URLs presigned for HEAD (S3 Object Lambda's {@code headObjectContext.inputS3Url}); no retries
         * of a body, no range reader.
         */
        public Builder head() {
            this.head = true;
            return this;
        }

        public HttpObjectSource build() {
            if (client == null) {
                throw new IllegalStateException("client: not set; pass an HttpSourceClient (one per process,"
                        + " disposed on shutdown)");
            }
            return new HttpObjectSource(this, client);
        }
    }
}
