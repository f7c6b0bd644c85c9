package io.transflux.connectors.accesspoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * OSS multipart upload on an OSS-flavour access point: {@code POST ?uploads} (InitiateMultipartUpload),
 * {@code PUT ?partNumber&uploadId} (UploadPart), {@code POST ?uploadId} (CompleteMultipartUpload, with an upload
 * callback when it carries one) and {@code DELETE ?uploadId} (AbortMultipartUpload). Parts are files under
 * {@code <root>/}{@value #UPLOADS}{@code /<uploadId>/} (a name no bucket can have); completing concatenates the
 * listed parts into a temporary file beside the target and renames it, so a failure leaves no target.
 * Part ETags are derived from part number and size, not MD5.
 */
final class MultipartFront {

    static final String UPLOADS = ".transflux-uploads";
    static final int MAX_PART_NUMBER = 10_000;
    static final int MAX_COMPLETE_BYTES = 1024 * 1024;
    private static final Pattern PART = Pattern.compile(
            "<Part>\\s*<PartNumber>\\s*(\\d{1,5})\\s*</PartNumber>\\s*<ETag>([^<]*)</ETag>\\s*</Part>");
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
            case "PUT" -> part(req, res, r, log, dir);
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
        UploadFront.newFile(() -> {
            Files.createDirectories(dir);
            String type = r.header("content-type");
            Files.writeString(dir.resolve("target"), t.bucket() + "\n" + t.key() + "\n" + (type == null ? "" : type));
            return dir;
        });
        return xml(res, log, "<InitiateMultipartUploadResult><Bucket>" + PlatformError.escape(t.bucket())
                + "</Bucket><Key>" + PlatformError.escape(t.key()) + "</Key><UploadId>" + id
                + "</UploadId></InitiateMultipartUploadResult>");
    }

    private Mono<Void> part(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log, Path dir) {
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
        int number = n;
        return FileObjectSink.of(file).write(UploadFront.body(req))
                .onErrorMap(e -> !(e instanceof PlatformError),
                        e -> new PlatformError(500, "InternalError", "The part could not be stored."))
                .flatMap(w -> {
                    log.status = 200;
                    return res.status(200).header("ETag", etag(number, w.bytesWritten()))
                            .header("x-oss-request-id", ap.newRequestId()).header("Content-Length", "0").send().then();
                });
    }

    private Mono<Void> complete(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log,
            CallerFront.Target t, Path dir) {
        UploadCallback cb = UploadCallback.of(r, java.util.Map.of());
        return req.receive().asByteArray()
                .reduce(new ByteArrayOutputStream(), (acc, b) -> {
                    if (acc.size() + b.length > MAX_COMPLETE_BYTES) {
                        throw new PlatformError(400, "MalformedXML", "CompleteMultipartUpload: body too large");
                    }
                    acc.writeBytes(b);
                    return acc;
                })
                .defaultIfEmpty(new ByteArrayOutputStream())
                .flatMap(acc -> Mono.fromCallable(() -> parts(dir, acc.toString(StandardCharsets.UTF_8)))
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
                    delete(dir);
                    return type;
                }).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(type -> uploads.stored(res, r, log, t, cb, type.isEmpty() ? null : type,
                        e -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult><Location>"
                                + PlatformError.escape(ap.endpoint() + "/" + t.bucket() + "/" + t.key())
                                + "</Location><Bucket>" + PlatformError.escape(t.bucket()) + "</Bucket><Key>"
                                + PlatformError.escape(t.key()) + "</Key><ETag>" + PlatformError.escape(e.etag())
                                + "</ETag></CompleteMultipartUploadResult>\n"));
    }

    /** The listed parts' files, checked: ascending numbers, existing parts, matching ETags. */
    private static List<Path> parts(Path dir, String xml) throws IOException {
        List<Path> out = new ArrayList<>();
        Matcher m = PART.matcher(xml);
        int last = 0;
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n <= last) {
                throw new PlatformError(400, "InvalidPartOrder", "The list of parts was not in ascending order.");
            }
            last = n;
            Path p = dir.resolve(Integer.toString(n));
            if (!Files.isRegularFile(p) || !etag(n, Files.size(p)).equals(quoted(m.group(2).trim()))) {
                throw new PlatformError(400, "InvalidPart", "One or more of the specified parts could not be found "
                        + "or the specified entity tag might not have matched the part's entity tag.");
            }
            out.add(p);
        }
        if (out.isEmpty()) {
            throw new PlatformError(400, "MalformedXML", "CompleteMultipartUpload: expected at least one Part.");
        }
        return out;
    }

    private static String quoted(String etag) {
        String e = etag.replace("&quot;", "\"");
        return e.startsWith("\"") ? e : "\"" + e + "\"";
    }

    static String etag(int part, long size) {
        return "\"" + Integer.toHexString(part) + "-" + Long.toHexString(size) + "\"";
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

    private static Mono<Void> xml(HttpServerResponse res, AccessLog log, String body) {
        byte[] b = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body + "\n").getBytes(StandardCharsets.UTF_8);
        log.status = 200;
        log.bytesOut = b.length;
        return res.status(200).header("Content-Type", "application/xml").header("Content-Length",
                Integer.toString(b.length)).send(Mono.just(Unpooled.wrappedBuffer(b))).then();
    }
}
