package io.transflux.connectors.accesspoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.netty.buffer.Unpooled;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.sink.FileObjectSink;
import io.transflux.pipeline.source.FileObjectSource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Multipart upload, S3 (SigV4, bodies checked against the signed payload) or OSS by the access point's flavour:
 * {@code POST ?uploads} (InitiateMultipartUpload, recording Content-Type and user metadata),
 * {@code PUT ?partNumber&uploadId} (UploadPart), {@code POST ?uploadId} (CompleteMultipartUpload, with an upload
 * callback when it carries one) and {@code DELETE ?uploadId} (AbortMultipartUpload). Parts are files under
 * {@code <root>/}{@value #UPLOADS}{@code /<uploadId>/} (a name no bucket can have); completing concatenates the
 * listed parts into a temporary file beside the target and renames it, so a failure leaves no target.
 * ETags follow S3 and OSS: a part's is its MD5, the object's the MD5 of the parts' MD5s followed by {@code -N}.
 */
final class MultipartFront {

    static final String UPLOADS = ".transflux-uploads";
    static final int MAX_PART_NUMBER = 10_000;
    static final int MAX_COMPLETE_BYTES = 1024 * 1024;
    /** S3: every part but the last has at least 5 MiB. */
    static final long S3_MIN_PART_BYTES = 5L * 1024 * 1024;
    private static final String METADATA = "metadata.json";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Pattern PART = Pattern.compile("<Part>(.*?)</Part>", Pattern.DOTALL);
    private static final Pattern PART_NUMBER = Pattern.compile("<PartNumber>\\s*(\\d{1,5})\\s*</PartNumber>");
    private static final Pattern PART_ETAG = Pattern.compile("<ETag>([^<]*)</ETag>");
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{32}");

    private final LocalAccessPoint ap;
    private final UploadFront uploads;

    MultipartFront(LocalAccessPoint ap, UploadFront uploads) {
        this.ap = ap;
        this.uploads = uploads;
    }

    /** Whether {@code r} is one of the multipart requests. */
    static boolean handles(Request r) {
        return (r.method().equals("POST") && (r.query().containsKey("uploads") || r.query().containsKey("uploadId")))
                || (r.method().equals("PUT") && r.query().containsKey("uploadId"))
                || (r.method().equals("DELETE") && r.query().containsKey("uploadId"));
    }

    Mono<Void> serve(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log, CallerFront.Target t) {
        if (r.query().containsKey("uploads")) {
            return initiate(res, r, log, t);
        }
        Path dir = upload(r.query().get("uploadId"), t);
        return switch (r.method()) {
            case "PUT" -> part(req, res, r, log, dir, t);
            case "DELETE" -> Mono.fromRunnable(() -> delete(dir)).subscribeOn(Schedulers.boundedElastic())
                    .then(Mono.defer(() -> {
                        log.status = 204;
                        return res.status(204).send().then();
                    }));
            default -> complete(req, res, r, log, t, dir);
        };
    }

    private Mono<Void> initiate(HttpServerResponse res, Request r, AccessLog log, CallerFront.Target t) {
        String id = UUID.randomUUID().toString().replace("-", "");
        Path dir = ap.store.root.resolve(UPLOADS).resolve(id);
        Flavor flavor = t.spec().flavor();
        Map<String, String> meta = ContentDigest.userMetadata(r, flavor);
        String type = UploadFront.contentType(r, flavor);
        UploadFront.newFile(() -> {
            if (!ap.store.inside(dir)) {
                throw new PlatformError(500, "InternalError", "The upload could not be created.");
            }
            Files.createDirectories(dir);
            if (!ap.store.inside(dir)) {
                throw new PlatformError(500, "InternalError", "The upload could not be created.");
            }
            Files.writeString(dir.resolve("target"), t.bucket() + "\n" + t.key() + "\n" + (type == null ? "" : type));
            Files.write(dir.resolve(METADATA), JSON.writeValueAsBytes(meta));
            return dir;
        });
        return xml(res, log, t, "<InitiateMultipartUploadResult" + ns(t) + "><Bucket>" + PlatformError.escape(t.bucket())
                + "</Bucket><Key>" + PlatformError.escape(t.key()) + "</Key><UploadId>" + id
                + "</UploadId></InitiateMultipartUploadResult>");
    }

    private Mono<Void> part(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log, Path dir,
            CallerFront.Target t) {
        int n;
        try {
            n = Integer.parseInt(r.query().getOrDefault("partNumber", ""));
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > MAX_PART_NUMBER) {
            throw new PlatformError(400, "InvalidArgument", "partNumber: expected 1.." + MAX_PART_NUMBER);
        }
        Path file = dir.resolve(Integer.toString(n));
        Path etagFile = dir.resolve(n + ".etag");
        ContentDigest md5 = new ContentDigest();
        return FileObjectSink.of(file).write(ObjectStream.of(md5.watch(UploadFront.body(req, t, log),
                        r.header("content-md5"))))
                .onErrorMap(e -> !(e instanceof PlatformError),
                        e -> new PlatformError(500, "InternalError", "The part could not be stored."))
                .flatMap(w -> Mono.fromCallable(() -> {
                    String etag = ContentDigest.etag(md5.digest(), t.spec().flavor());
                    Files.writeString(etagFile, etag);
                    return etag;
                }).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(etag -> {
                    log.status = 200;
                    return res.status(200).header("ETag", etag).header(requestIdHeader(t), ap.newRequestId())
                            .header("Content-Length", "0").send().then();
                });
    }

    private Mono<Void> complete(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log,
            CallerFront.Target t, Path dir) {
        UploadCallback cb = t.spec().flavor() == Flavor.OSS ? UploadCallback.of(r, java.util.Map.of()) : null;
        Flavor flavor = t.spec().flavor();
        List<byte[]> md5s = new ArrayList<>();
        return UploadFront.body(req, t, log)
                .reduce(new ByteArrayOutputStream(), (acc, b) -> {
                    if (acc.size() + b.remaining() > MAX_COMPLETE_BYTES) {
                        throw new PlatformError(400, "MalformedXML", "CompleteMultipartUpload: body too large");
                    }
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    acc.writeBytes(a);
                    return acc;
                })
                .defaultIfEmpty(new ByteArrayOutputStream())
                .flatMap(acc -> Mono.fromCallable(() -> parts(dir, acc.toString(StandardCharsets.UTF_8), flavor, md5s))
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMap(parts -> {
                    Path target = UploadFront.newFile(() -> ap.store.newObject(t.bucket(), t.key()));
                    Flux<java.nio.ByteBuffer> content = Flux.fromIterable(parts)
                            .concatMap(p -> FileObjectSource.of(p).open().flatMapMany(ObjectStream::content));
                    return FileObjectSink.of(target).write(ObjectStream.of(content))
                            .onErrorMap(e -> !(e instanceof PlatformError),
                                    e -> new PlatformError(500, "InternalError", "The object could not be stored."));
                })
                .then(Mono.fromCallable(() -> {
                    String type = Files.readAllLines(dir.resolve("target")).stream().skip(2).findFirst().orElse("");
                    Map<String, String> meta = readMetadata(dir);
                    uploads.record(t, ContentDigest.multipartEtag(md5s, flavor), type.isEmpty() ? null : type, meta);
                    delete(dir);
                    return type;
                }).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(type -> uploads.stored(res, r, log, t, cb, type.isEmpty() ? null : type,
                        e -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult" + ns(t)
                                + "><Location>" + PlatformError.escape(ap.endpoint() + "/" + t.bucket() + "/" + t.key())
                                + "</Location><Bucket>" + PlatformError.escape(t.bucket()) + "</Bucket><Key>"
                                + PlatformError.escape(t.key()) + "</Key><ETag>" + PlatformError.escape(e.etag())
                                + "</ETag></CompleteMultipartUploadResult>\n"));
    }

    private static Map<String, String> readMetadata(Path dir) throws IOException {
        Path f = dir.resolve(METADATA);
        if (!Files.isRegularFile(f)) {
            return Map.of();
        }
        Map<String, String> out = new java.util.TreeMap<>();
        JSON.readTree(Files.readAllBytes(f)).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String ns(CallerFront.Target t) {
        return t.spec().flavor() == Flavor.S3 ? " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"" : "";
    }

    private static String requestIdHeader(CallerFront.Target t) {
        return t.spec().flavor() == Flavor.S3 ? "x-amz-request-id" : "x-oss-request-id";
    }

    /**
     * The listed parts' files, checked: ascending numbers, existing parts, matching ETags (either element order in a
     * {@code Part}); on S3 every part but the last has at least {@value #S3_MIN_PART_BYTES} bytes
     * (400 {@code EntityTooSmall}). Fills {@code md5s} with the parts' binary MD5s.
     */
    private static List<Path> parts(Path dir, String xml, Flavor flavor, List<byte[]> md5s) throws IOException {
        List<Path> out = new ArrayList<>();
        Matcher m = PART.matcher(xml);
        int last = 0;
        while (m.find()) {
            Matcher num = PART_NUMBER.matcher(m.group(1));
            Matcher tag = PART_ETAG.matcher(m.group(1));
            if (!num.find() || !tag.find()) {
                throw new PlatformError(400, "MalformedXML", "CompleteMultipartUpload: a Part needs PartNumber and ETag.");
            }
            int n = Integer.parseInt(num.group(1));
            if (n <= last) {
                throw new PlatformError(400, "InvalidPartOrder", "The list of parts was not in ascending order.");
            }
            last = n;
            Path p = dir.resolve(Integer.toString(n));
            Path e = dir.resolve(n + ".etag");
            String stored = Files.isRegularFile(p) && Files.isRegularFile(e) ? Files.readString(e) : null;
            if (stored == null || !stored.equalsIgnoreCase(quoted(tag.group(1).trim()))) {
                throw new PlatformError(400, "InvalidPart", "One or more of the specified parts could not be found "
                        + "or the specified entity tag might not have matched the part's entity tag.");
            }
            out.add(p);
            md5s.add(java.util.HexFormat.of().parseHex(stored.substring(1, stored.length() - 1)));
        }
        if (out.isEmpty()) {
            throw new PlatformError(400, "MalformedXML", "CompleteMultipartUpload: expected at least one Part.");
        }
        if (flavor == Flavor.S3) {
            for (int i = 0; i < out.size() - 1; i++) {
                if (Files.size(out.get(i)) < S3_MIN_PART_BYTES) {
                    throw new PlatformError(400, "EntityTooSmall",
                            "Your proposed upload is smaller than the minimum allowed object size.");
                }
            }
        }
        return out;
    }

    private static String quoted(String etag) {
        String e = etag.replace("&quot;", "\"").replace("&#34;", "\"");
        return e.startsWith("\"") ? e : "\"" + e + "\"";
    }

    /** The upload's folder; 404 {@code NoSuchUpload} when unknown or begun for another object. */
    private Path upload(@Nullable String id, CallerFront.Target t) {
        Path dir = id != null && UPLOAD_ID.matcher(id).matches() ? ap.store.root.resolve(UPLOADS).resolve(id) : null;
        try {
            if (dir != null && Files.isRegularFile(dir.resolve("target"))) {
                List<String> lines = Files.readAllLines(dir.resolve("target"));
                if (lines.size() >= 2 && lines.get(0).equals(t.bucket()) && lines.get(1).equals(t.key())) {
                    return dir;
                }
            }
        } catch (IOException e) {
            // treated as unknown below
        }
        throw new PlatformError(404, "NoSuchUpload", "The specified upload does not exist.");
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: the folder is outside every bucket
        }
    }

    private Mono<Void> xml(HttpServerResponse res, AccessLog log, CallerFront.Target t, String body) {
        res.header(requestIdHeader(t), ap.newRequestId());
        byte[] b = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body + "\n").getBytes(StandardCharsets.UTF_8);
        log.status = 200;
        log.bytesOut = b.length;
        return res.status(200).header("Content-Type", "application/xml").header("Content-Length",
                Integer.toString(b.length)).send(Mono.just(Unpooled.wrappedBuffer(b))).then();
    }
}
