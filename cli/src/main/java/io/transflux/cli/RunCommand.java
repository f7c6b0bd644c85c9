package io.transflux.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.transflux.connectors.http.HostGuard;
import io.transflux.connectors.http.HttpObjectSource;
import io.transflux.connectors.http.HttpSourceClient;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.checksum.ChecksumAlgorithm;
import io.transflux.pipeline.checksum.ChecksumTap;
import io.transflux.pipeline.checksum.ChecksumValue;
import io.transflux.pipeline.sink.FileObjectSink;
import io.transflux.pipeline.sink.ObjectSink;
import io.transflux.pipeline.source.FileObjectSource;
import io.transflux.pipeline.source.ObjectSource;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import reactor.core.Exceptions;


/** {@code transflux run}: one object through a pipeline, from a file, URL or stdin to a file or stdout. */
@Command(name = "run",
        description = {"Run a pipeline over one object.",
                "Reads PATH, an http(s) URL or - (stdin); writes PATH (atomically) or - (stdout)."},
        mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--pipeline", required = true, paramLabel = "SPEC",
            description = "Pipeline spec, e.g. 'decompress/auto|redact/pii'. '' copies the bytes unchanged.")
    String pipeline = "";

    @Option(names = "--in", defaultValue = "-", paramLabel = "PATH|URL|-", description = "Input (default: ${DEFAULT-VALUE}).")
    String in = "-";

    @Option(names = "--out", defaultValue = "-", paramLabel = "PATH|-", description = "Output (default: ${DEFAULT-VALUE}).")
    String out = "-";

    @Option(names = "--checksum", paramLabel = "ALG[,ALG...]",
            description = "Checksums of the output, printed to stderr as 'checksum <alg> <hex> <base64>': "
                    + "crc32, crc32c, crc64nvme, crc64ecma, md5, sha1, sha256, sha512.")
    @Nullable String checksum;

    @Option(names = "--max-output-bytes", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "Fail once the output exceeds this many bytes (suffixes KiB, MiB, GiB, TiB). Default 1GiB.")
    long maxOutputBytes = Limits.DEFAULT_MAX_OUTPUT_BYTES;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Fail if the whole run takes longer, e.g. 30s, 5m. Default: none.")
    Duration deadline = Duration.ZERO;

    @Option(names = "--allow-private-hosts",
            description = "Allow URLs on loopback, link-local and private addresses (refused by default).")
    boolean allowPrivateHosts;

    @Option(names = "--progress", negatable = true,
            description = "Progress bar on stderr (default: when stderr is a terminal).")
    @Nullable Boolean progress;

    @Option(names = "--debug", description = "Print stack traces on errors.")
    boolean debug;

    private @Nullable HttpSourceClient httpClient;

    @Override
    public Integer call() {
        PrintWriter err = spec().commandLine().getErr();
        List<ChecksumAlgorithm> algorithms = parseChecksums();
        if ("-".equals(in)) {
            String why = StdinCheck.unusable();
            if (why != null) {
                throw new ParameterException(spec().commandLine(), "--in -: " + why);
            }
        }
        Progress bar = Progress.start(err, progress != null ? progress : Boolean.getBoolean("transflux.stderr.tty"));
        try {
            Pipeline p = Pipeline.parse(pipeline);
            Limits limits = Limits.builder().maxOutputBytes(maxOutputBytes).deadline(deadline).build();
            ChecksumTap tap = algorithms.isEmpty() ? null : ChecksumTap.of(algorithms);
            ObjectSink sink = "-".equals(out) ? FileObjectSink.stdout() : FileObjectSink.of(Path.of(out));

            source().open()
                    .flatMap(src -> {
                        bar.total(src.metadata().contentLength());
                        ObjectStream observed = src.mapContent(c -> c.doOnNext(b -> bar.read(b.remaining())));
                        // Counting leaves the bytes as they are, so the source's range reader still fits them.
                        ObjectStream counted = src.rangeReader().map(observed::withRangeReader).orElse(observed);
                        ObjectStream result = p.apply(counted, limits);
                        if (tap != null) {
                            result = result.mapContent(tap);
                        }
                        return sink.write(result.mapContent(c -> c.doOnNext(b -> bar.wrote(b.remaining()))));
                    })
                    .block();
            bar.finish();
            if (tap != null) {
                Map<ChecksumAlgorithm, ChecksumValue> values = tap.results().block(Duration.ofSeconds(5));
                for (ChecksumAlgorithm alg : algorithms) {
                    ChecksumValue v = values.get(alg);
                    err.println("checksum " + alg.id() + " " + v.hex() + " " + v.base64());
                }
            }
            err.flush();
            return Transflux.EXIT_OK;
        } catch (RuntimeException e) {
            bar.finish();
            Throwable t = Exceptions.unwrap(e);
            if ("-".equals(out) && brokenPipe(t)) {
                // The reader of stdout went away (`| head`): end quietly, as tools killed by SIGPIPE do.
                return EXIT_BROKEN_PIPE;
            }
            PipelineException pe = PipelineException.wrap(t);
            String message = pe == t ? pe.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage();
            err.println("error: " + pe.code().code() + ": " + message);
            if (debug) {
                t.printStackTrace(err);
            }
            err.flush();
            return Transflux.EXIT_FAILURE;
        } finally {
            if (httpClient != null) {
                httpClient.dispose();
            }
        }
    }

    /** 128 + SIGPIPE, the status a shell reports for a writer whose reader closed the pipe. */
    static final int EXIT_BROKEN_PIPE = 141;

    private static boolean brokenPipe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.io.IOException && c.getMessage() != null && c.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    private List<ChecksumAlgorithm> parseChecksums() {
        if (checksum == null || checksum.isBlank()) {
            return List.of();
        }
        try {
            return List.copyOf(ChecksumAlgorithm.parseList(checksum));
        } catch (PipelineException e) {
            throw new ParameterException(spec().commandLine(), "--checksum: " + e.getMessage());
        }
    }

    private ObjectSource source() {
        if ("-".equals(in)) {
            return FileObjectSource.stdin();
        }
        if (in.startsWith("http://") || in.startsWith("https://")) {
            HostGuard guard = allowPrivateHosts
                    ? HostGuard.publicOnly().allowLoopback().allowPrivateNetworks()
                    : HostGuard.publicOnly();
            HttpSourceSpec.Builder spec = HttpSourceSpec.builder().hostGuard(guard);
            // The CLI has no platform deadline: the source's own total deadline follows --deadline,
            // else a day, so a large download is not cut short.
            spec.totalDeadline(deadline.isZero() ? Duration.ofDays(1) : deadline);
            return HttpObjectSource.builder(in).spec(spec.build()).client(httpClient()).build();
        }
        return FileObjectSource.of(Path.of(in));
    }

    private HttpSourceClient httpClient() {
        if (httpClient == null) {
            httpClient = HttpSourceClient.create();
        }
        return httpClient;
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }

}
