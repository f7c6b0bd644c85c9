package io.transflux.connectors.accesspoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How {@code serve} runs the deployable function in separate JVMs, the way a Lambda container image runs Java: each
 * process is the AWS Lambda Java Runtime Interface Client ({@value #RIC_MAIN}) with the function's classpath, polling a
 * Lambda Runtime API that the access point serves on loopback, one invocation at a time. Immutable.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Setting</th><th>Default</th></tr>
 *   <tr><td>{@link #handler()}</td><td>{@value #DEFAULT_HANDLER}</td></tr>
 *   <tr><td>{@link #processes()}</td><td>1 (Lambda runs one invocation at a time per execution environment)</td></tr>
 *   <tr><td>{@link #javaCommand()}</td><td>{@code java} of the JVM running serve</td></tr>
 *   <tr><td>{@link #ricClasspath()}</td><td>the RIC jars serve itself carries</td></tr>
 *   <tr><td>{@link #memoryMb()}</td><td>{@value #DEFAULT_MEMORY_MB} ({@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE})</td></tr>
 * </table>
 */
public final class FunctionRuntimeSpec {

    public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    public static final String DEFAULT_HANDLER = "io.transflux.connectors.s3.S3ObjectLambdaHandler::handleRequest";
    public static final int DEFAULT_MEMORY_MB = 512;
    /** The function-URL custom runtime in the function jar (streams responses; docs/protocols.md §11). */
    public static final String URL_RUNTIME_MAIN = "io.transflux.connectors.url.UrlRuntime";

    private final List<Path> classpath;
    private final String handler;
    private final int processes;
    private final @Nullable Path javaCommand;
    private final List<String> jvmOptions;
    private final List<Path> ricClasspath;
    private final Map<String, String> environment;
    private final int memoryMb;
    private final String mainClass;

    private FunctionRuntimeSpec(Builder b) {
        if (b.classpath.isEmpty()) {
            throw new IllegalArgumentException("classpath: expected the function jar (and any further entries), got none");
        }
        this.classpath = List.copyOf(b.classpath);
        this.handler = b.handler;
        this.processes = b.processes;
        this.javaCommand = b.javaCommand;
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.ricClasspath = List.copyOf(b.ricClasspath);
        this.environment = Map.copyOf(b.environment);
        this.memoryMb = b.memoryMb;
        this.mainClass = b.mainClass;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The function's classpath: the deployable jar first. */
    public List<Path> classpath() {
        return classpath;
    }

    /** {@code CLASS::method}, the Lambda handler string passed to the RIC. */
    public String handler() {
        return handler;
    }

    /** How many runtime processes (execution environments) serve invocations concurrently. */
    public int processes() {
        return processes;
    }

    /** The {@code java} launcher, or null for the one running serve. */
    public @Nullable Path javaCommand() {
        return javaCommand;
    }

    /** Extra JVM options (e.g. {@code -XX:SharedArchiveFile=...}), before the main class. */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The RIC and its dependencies; empty means the copies serve itself carries. */
    public List<Path> ricClasspath() {
        return ricClasspath;
    }

    /** Function environment variables (e.g. {@code TRANSFLUX_PIPELINE}); platform-reserved ones win. */
    public Map<String, String> environment() {
        return environment;
    }

    public int memoryMb() {
        return memoryMb;
    }

    /**
     * The process's main class: the RIC ({@value #RIC_MAIN}, the default), or a custom runtime that speaks the
     * Runtime API itself, such as {@value #URL_RUNTIME_MAIN} (then the RIC is not on the classpath).
     */
    public String mainClass() {
        return mainClass;
    }

    /** Whether the process is the RIC running {@link #handler()}, rather than a custom runtime. */
    public boolean usesRic() {
        return mainClass.equals(RIC_MAIN);
    }

    @Override
    public String toString() {
        return "FunctionRuntimeSpec{classpath=" + classpath + ", main=" + mainClass + ", handler=" + handler
                + ", processes=" + processes + '}';
    }

    /** Builds a {@link FunctionRuntimeSpec}. */
    public static final class Builder {
        private final List<Path> classpath = new ArrayList<>();
        private String handler = DEFAULT_HANDLER;
        private int processes = 1;
        private @Nullable Path javaCommand;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<Path> ricClasspath = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private int memoryMb = DEFAULT_MEMORY_MB;
        private String mainClass = RIC_MAIN;

        private Builder() {
        }

        /** The deployable jar, e.g. {@code connectors/function/target/transflux-function.jar}. */
        public Builder functionJar(Path jar) {
            this.classpath.add(0, Objects.requireNonNull(jar, "jar"));
            return this;
        }

        /** Further classpath entries after the function jar. */
        public Builder classpath(List<Path> entries) {
            this.classpath.addAll(entries);
            return this;
        }

        public Builder handler(String handler) {
            if (!handler.matches("[\\w.$]+(::\\w+)?")) {
                throw new IllegalArgumentException("handler: actual '" + (handler.length() > 80 ? handler.substring(0, 80)
                        : handler) + "', expected CLASS or CLASS::method");
            }
            this.handler = handler;
            return this;
        }

        public Builder processes(int processes) {
            if (processes < 1 || processes > 64) {
                throw new IllegalArgumentException("processes: actual " + processes + ", expected 1..64");
            }
            this.processes = processes;
            return this;
        }

        public Builder javaCommand(@Nullable Path java) {
            this.javaCommand = java;
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            this.jvmOptions.addAll(options);
            return this;
        }

        public Builder ricClasspath(List<Path> entries) {
            this.ricClasspath.addAll(entries);
            return this;
        }

        public Builder environment(Map<String, String> env) {
            this.environment.putAll(env);
            return this;
        }

        public Builder memoryMb(int mb) {
            if (mb < 128 || mb > 10240) {
                throw new IllegalArgumentException("memoryMb: actual " + mb + ", expected 128..10240");
            }
            this.memoryMb = mb;
            return this;
        }

        /** A custom runtime's main class instead of the RIC; see {@link FunctionRuntimeSpec#mainClass()}. */
        public Builder mainClass(String mainClass) {
            if (!mainClass.matches("[\\w.$]+")) {
                throw new IllegalArgumentException("mainClass: actual '" + (mainClass.length() > 80
                        ? mainClass.substring(0, 80) : mainClass) + "', expected a class name");
            }
            this.mainClass = mainClass;
            return this;
        }

        public FunctionRuntimeSpec build() {
            return new FunctionRuntimeSpec(this);
        }
    }
}
