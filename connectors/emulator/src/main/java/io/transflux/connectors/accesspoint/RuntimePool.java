package io.transflux.connectors.accesspoint;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.transflux.connectors.HttpSourceOpener;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Runs S3 Object Lambda invocations in separate function JVMs through the Runtime Interface Client: a queue of
 * invocations, and {@link FunctionRuntimeSpec#processes()} execution environments, each a process with its own
 * {@link RuntimeApi}, taking one invocation at a time. An environment whose process ends (exit, crash, killed at the
 * deadline) fails its invocation and is started again when there is work, as Lambda replaces an environment.
 *
 * <p>All dispatch state is guarded by {@code this}.
 */
final class RuntimePool implements FunctionInvoker, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalAccessPoint.LOGGER);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long past its deadline an invocation may run before its process is killed, as Lambda does. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(1);

    private final FunctionRuntimeSpec spec;
    private final Map<String, String> platformEnv;
    private final Duration timeout;
    private final String functionArn;
    private final List<Path> ricClasspath;
    private final @Nullable Path jniLibrary;
    private final List<Environment> environments = new ArrayList<>();
    private final ArrayDeque<Invocation> queue = new ArrayDeque<>();
    private final ArrayDeque<Environment> idle = new ArrayDeque<>();
    private boolean closed;

    /**
     * @param platformEnv what the platform sets for the function: region, credentials, WGOR endpoint
     */
    RuntimePool(FunctionRuntimeSpec spec, Map<String, String> platformEnv, Duration timeout, String region) {
        this.spec = spec;
        this.platformEnv = Map.copyOf(platformEnv);
        this.timeout = timeout;
        this.functionArn = "arn:aws:lambda:" + region + ":000000000000:function:transflux-local";
        // A custom runtime speaks the Runtime API itself: no RIC, no native library.
        this.ricClasspath = !spec.usesRic() ? List.of()
                : spec.ricClasspath().isEmpty() ? RicClasspath.locate() : spec.ricClasspath();
        this.jniLibrary = spec.usesRic() ? RicClasspath.unpackNative(ricClasspath) : null;
        for (int i = 0; i < spec.processes(); i++) {
            Environment e = new Environment(i);
            environments.add(e);
            e.start();
        }
    }

    @Override
    public Mono<byte[]> invoke(Flavor flavor, byte[] event) {
        if (flavor != Flavor.S3) {
            return Mono.error(new PlatformError(501, "NotImplemented",
                    "The Runtime Interface Client runs Lambda handlers: OSS-flavour access points need the in-process function."));
        }
        return dispatched(event, inv -> inv.result.asMono());
    }

    /**
     * Invokes the function with {@code event} and answers its response as the runtime sent it: streamed (the
     * Runtime API's streaming mode, body relayed as it arrives) or buffered. For function URLs.
     */
    Mono<RuntimeResponse> invokeStreaming(byte[] event) {
        return dispatched(event, inv -> inv.reply.asMono());
    }

    /** Queues an invocation of {@code event} on a runtime, starting one if needed, and answers {@code answer}. */
    private <T> Mono<T> dispatched(byte[] event, java.util.function.Function<Invocation, Mono<T>> answer) {
        return Mono.defer(() -> {
            Invocation inv = new Invocation(event, System.currentTimeMillis() + timeout.toMillis());
            try {
                dispatch(inv);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "function runtime: could not start a runtime process", e);
                return Mono.<T>error(new PlatformError(500, "LambdaRuntimeError",
                        "The Lambda function's runtime could not be started."));
            }
            return answer.apply(inv);
        // Starting a runtime binds a port and forks a JVM: never on an event loop.
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private void dispatch(Invocation inv) {
        Environment target;
        synchronized (this) {
            if (closed) {
                inv.fail(new PlatformError(503, "ServiceUnavailable", "The function runtime is shut down."));
                return;
            }
            for (Environment e : environments) {
                if (e.process == null) {
                    e.start();
                }
            }
            target = idle.poll();
            if (target == null) {
                queue.add(inv);
                return;
            }
        }
        target.handOver(inv);
    }

    @Override
    public void close() {
        List<Invocation> orphans;
        synchronized (this) {
            closed = true;
            orphans = new ArrayList<>(queue);
            queue.clear();
        }
        orphans.forEach(i -> i.fail(PlatformError.timeout()));
        for (Environment e : environments) {
            e.stop();
        }
    }

    /** One invocation: the event, its request id and deadline, and where its result goes. */
    static final class Invocation {
        final String id = UUID.randomUUID().toString();
        final byte[] event;
        final long deadlineEpochMs;
        final String traceId;
        String functionArn = "";
        final Sinks.One<byte[]> result = Sinks.one();
        /** The same answer for streaming callers: buffered or streamed. */
        final Sinks.One<RuntimeResponse> reply = Sinks.one();
        /** Emits once the deadline passed: a streamed body still in flight then fails (Lambda ends it mid-body). */
        final Sinks.One<Boolean> expired = Sinks.one();
        volatile boolean timedOut;

        void fail(Throwable e) {
            result.tryEmitError(e);
            reply.tryEmitError(e);
        }

        Invocation(byte[] event, long deadlineEpochMs) {
            this.event = event;
            this.deadlineEpochMs = deadlineEpochMs;
            byte[] r = new byte[20];
            RANDOM.nextBytes(r);
            String hex = HexFormat.of().formatHex(r);
            // X-Ray format: Root=1-{epoch seconds, 8 hex}-{24 hex};Parent={16 hex};Sampled=0
            this.traceId = "Root=1-" + String.format("%08x", deadlineEpochMs / 1000) + "-" + hex.substring(0, 24)
                    + ";Parent=" + hex.substring(24, 40) + ";Sampled=0";
        }
    }

    /** One execution environment: a RIC process, its Runtime API, and the invocation it is running. */
    final class Environment {
        private final int index;
        private @Nullable Process process;
        private @Nullable RuntimeApi api;
        private @Nullable MonoSink<Invocation> poller;
        private @Nullable Invocation current;
        /** An invocation whose streamed response is still in flight: its deadline still applies. */
        private @Nullable Invocation streaming;
        private @Nullable Disposable killer;
        private @Nullable String initError;
        private boolean polled;
        /** Being stopped at a deadline: its polls get no further invocation, which would die with it. */
        private boolean doomed;

        Environment(int index) {
            this.index = index;
        }

        /** Starts the process; caller holds the pool's lock or is the constructor. */
        void start() {
            RuntimeApi a = new RuntimeApi(this);
            Path taskRoot;
            try {
                taskRoot = Files.createTempDirectory("transflux-task-");
                taskRoot.toFile().deleteOnExit();
            } catch (IOException e) {
                a.close();
                throw new UncheckedIOException("Could not create the function's task root", e);
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(spec.javaCommand() != null ? spec.javaCommand().toString()
                    : Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (jniLibrary != null) {
                cmd.add("-D" + RicClasspath.JNI_PROPERTY + "=" + jniLibrary);
            }
            cmd.addAll(spec.jvmOptions());
            cmd.add("-cp");
            List<Path> cp = new ArrayList<>(spec.classpath());
            cp.addAll(ricClasspath);
            cmd.add(cp.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator)));
            cmd.add(spec.mainClass());
            cmd.add(spec.handler());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(taskRoot.toFile()).inheritIO();
            Map<String, String> env = pb.environment();
            // Only what Lambda's environment would have: none of serve's own credentials or settings leak in.
            Map<String, String> keep = new LinkedHashMap<>();
            for (String k : List.of("PATH", "LANG", "HOME")) {
                String v = System.getenv(k);
                if (v != null) {
                    keep.put(k, v);
                }
            }
            env.clear();
            env.putAll(keep);
            env.put(HttpSourceOpener.ALLOW_ENV, "localhost");
            env.putAll(spec.environment());
            env.putAll(platformEnv);
            env.put("AWS_LAMBDA_RUNTIME_API", a.address());
            env.put("_HANDLER", spec.handler());
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("AWS_LAMBDA_FUNCTION_NAME", "transflux-local");
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/transflux-local");
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/[$LATEST]" + index);
            env.put("TZ", ":UTC");
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                a.close();
                throw new UncheckedIOException("Could not start the function JVM (" + cmd.get(0) + ")", e);
            }
            process = p;
            api = a;
            polled = false;
            doomed = false;
            initError = null;
            p.onExit().thenAccept(this::exited);
            LOG.log(System.Logger.Level.INFO, "function runtime " + index + ": pid " + p.pid() + ", Runtime API "
                    + a.address() + ", handler " + spec.handler());
        }

        /** {@code GET /next}: the next queued invocation, or wait for one. */
        Mono<Invocation> next() {
            return Mono.create(sink -> {
                Invocation ready = null;
                Invocation abandoned;
                synchronized (RuntimePool.this) {
                    if (doomed) {
                        return;
                    }
                    polled = true;
                    abandoned = current;
                    current = null;
                    if (streaming != null) {
                        // The runtime moved on, so its stream is over.
                        streaming = null;
                        cancelKiller();
                    }
                    while ((ready = queue.poll()) != null && ready.deadlineEpochMs < System.currentTimeMillis()) {
                        ready.fail(PlatformError.timeout());
                    }
                    if (ready == null) {
                        poller = sink;
                        idle.add(this);
                        sink.onCancel(() -> {
                            synchronized (RuntimePool.this) {
                                if (poller == sink) {
                                    poller = null;
                                    idle.remove(this);
                                }
                            }
                        });
                    } else {
                        assign(ready);
                    }
                }
                if (abandoned != null) {
                    abandoned.fail(new PlatformError(500, "LambdaRuntimeError",
                            "The Lambda function runtime asked for the next event without answering the previous one."));
                }
                if (ready != null) {
                    sink.success(ready);
                }
            });
        }

        /** Gives {@code inv} to this idle environment's waiting poll. */
        void handOver(Invocation inv) {
            MonoSink<Invocation> s;
            synchronized (RuntimePool.this) {
                s = poller;
                poller = null;
                assign(inv);
            }
            if (s != null) {
                s.success(inv);
            }
        }

        private void assign(Invocation inv) {
            inv.functionArn = functionArn;
            current = inv;
            long wait = Math.max(0, inv.deadlineEpochMs - System.currentTimeMillis()) + KILL_GRACE.toMillis();
            killer = Schedulers.parallel().schedule(() -> deadlinePassed(inv), wait, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** The {@code /next} answer could not be written: the invocation goes back to the queue's head. */
        void undeliverable(Invocation inv) {
            synchronized (RuntimePool.this) {
                if (current == inv) {
                    current = null;
                    cancelKiller();
                    queue.addFirst(inv);
                }
            }
        }

        boolean respond(String id, byte[] body) {
            Invocation inv = finish(id);
            if (inv == null) {
                return false;
            }
            inv.result.tryEmitValue(body);
            inv.reply.tryEmitValue(RuntimeResponse.buffered(body));
            return true;
        }

        /**
         * A streaming response began: the invocation is answered now with the body {@code bodyFor} builds from it,
         * relayed by whoever invoked. Its deadline still applies until {@link #streamEnded}: Lambda ends a streamed
         * response at the function timeout even mid-body, so the body then fails ({@link Invocation#expired}) and the
         * process is stopped, as Lambda resets the execution environment after a timeout.
         */
        boolean respondStreaming(String id, @Nullable String contentType,
                java.util.function.Function<Invocation, reactor.core.publisher.Flux<io.netty.buffer.ByteBuf>> bodyFor) {
            Invocation inv;
            synchronized (RuntimePool.this) {
                inv = current;
                if (inv == null || !inv.id.equals(id)) {
                    return false;
                }
                current = null;
                streaming = inv;
            }
            inv.result.tryEmitError(new PlatformError(500, "LambdaRuntimeError",
                    "The Lambda function streamed a response to a buffered invocation."));
            return inv.reply.tryEmitValue(RuntimeResponse.streamed(contentType, bodyFor.apply(inv))).isSuccess();
        }

        /** The streamed body of {@code inv} ended (completely, with an error, or cancelled): its deadline is off. */
        void streamEnded(Invocation inv) {
            synchronized (RuntimePool.this) {
                if (streaming == inv) {
                    streaming = null;
                    cancelKiller();
                }
            }
        }

        boolean fail(String id, String errorType) {
            Invocation inv = finish(id);
            if (inv == null) {
                return false;
            }
            inv.fail(new PlatformError(500, "LambdaRuntimeError",
                    "The Lambda function failed with " + errorType + "."));
            return true;
        }

        void initFailed(String errorType) {
            synchronized (RuntimePool.this) {
                initError = errorType;
            }
            LOG.log(System.Logger.Level.WARNING, "function runtime " + index + ": init error " + errorType);
        }

        private @Nullable Invocation finish(String id) {
            synchronized (RuntimePool.this) {
                Invocation inv = current;
                if (inv == null || !inv.id.equals(id)) {
                    return null;
                }
                current = null;
                cancelKiller();
                return inv;
            }
        }

        private void cancelKiller() {
            if (killer != null) {
                killer.dispose();
                killer = null;
            }
        }

        private void deadlinePassed(Invocation inv) {
            Process p;
            synchronized (RuntimePool.this) {
                if (current != inv && streaming != inv) {
                    return;
                }
                p = process;
                doomed = true;
                idle.remove(this);
                poller = null;
            }
            LOG.log(System.Logger.Level.WARNING, "function runtime " + index + ": invocation " + inv.id
                    + " passed its deadline; stopping the process");
            // Marked first, so that a body ending because its runtime connection broke still fails; then the process
            // goes before the body's end could let it take another invocation.
            inv.timedOut = true;
            if (p != null) {
                p.destroyForcibly();
            }
            inv.expired.tryEmitValue(Boolean.TRUE);
        }

        private void exited(Process p) {
            Invocation lost;
            List<Invocation> failed = new ArrayList<>();
            RuntimeApi oldApi;
            boolean restart;
            String init;
            synchronized (RuntimePool.this) {
                if (process != p) {
                    return;
                }
                lost = current;
                current = null;
                streaming = null;
                cancelKiller();
                idle.remove(this);
                poller = null;
                oldApi = api;
                process = null;
                api = null;
                init = initError != null ? initError : polled ? null : "exit code " + p.exitValue();
                // A process that never polled cannot serve the queue: fail it, as Lambda fails the invoke on init error.
                if (init != null) {
                    failed.addAll(queue);
                    queue.clear();
                }
                restart = !closed && init == null && !queue.isEmpty();
                if (restart) {
                    start();
                }
            }
            if (oldApi != null) {
                oldApi.close();
            }
            if (!closed) {
                LOG.log(System.Logger.Level.INFO, "function runtime " + index + ": process " + p.pid() + " exited with "
                        + p.exitValue());
            }
            PlatformError e = lost != null && lost.deadlineEpochMs <= System.currentTimeMillis() ? PlatformError.timeout()
                    : new PlatformError(500, "LambdaRuntimeError", init != null
                            ? "The Lambda function failed to initialise (" + init + ")."
                            : "The Lambda function's runtime exited during the invocation.");
            if (lost != null) {
                lost.fail(e);
            }
            failed.forEach(i -> i.fail(e));
        }

        void stop() {
            Process p;
            RuntimeApi a;
            synchronized (RuntimePool.this) {
                p = process;
                a = api;
            }
            if (p != null) {
                p.destroy();
                try {
                    // Generous: a JVM writing a start-up archive at exit (-XX:ArchiveClassesAtExit) takes seconds.
                    if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(3, java.util.concurrent.TimeUnit.SECONDS);
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            if (a != null) {
                a.close();
            }
        }
    }
}
