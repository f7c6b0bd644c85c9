package io.transflux.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * What {@code connectors/function/target/transflux-function.jar} holds: small enough, no CLI, YAML or emulator
 * code, natives for the two architectures Lambda and FC run, and handlers that load from the jar alone.
 * Runs after {@code package} (failsafe), against the jar the build just made.
 */
class FunctionJarIT {

    static final Path JAR = Path.of(System.getProperty("transflux.function.jar", "target/transflux-function.jar"));

    /** Issue 14's target for the deployable artifact: 15 MB, read as decimal megabytes (the stricter reading). */
    static final long MAX_JAR_BYTES = 15_000_000L;

    static final List<String> HANDLERS = List.of("io.transflux.connectors.s3.S3ObjectLambdaHandler",
            "io.transflux.connectors.oss.OssObjectFcHandler", "io.transflux.connectors.s3.S3BatchOperationsHandler",
            "io.transflux.connectors.oss.OssEventTriggerHandler");

    /** Entries that must not ship: the CLI, picocli, YAML, the emulator's packages, commons-codec (nothing links it). */
    static final List<String> FORBIDDEN_PREFIXES = List.of("picocli/", "io/transflux/cli/", "org/yaml/",
            "org/apache/commons/codec/",
            "com/fasterxml/jackson/dataformat/yaml/", "io/transflux/connectors/accesspoint/",
            "io/transflux/connectors/callback/", "io/transflux/connectors/process/");

    static final Pattern NATIVE = Pattern.compile(".*\\.(so|dll|dylib|jnilib|a)$");

    /** zstd-jni, snappy-java, webp-imageio and Netty layouts; linux x86_64 (glibc) and aarch64 only. */
    static final Pattern ALLOWED_NATIVE = Pattern.compile("linux/(amd64|aarch64)/libzstd-jni-[^/]+\\.so"
            + "|org/xerial/snappy/native/Linux/(x86_64|aarch64)/libsnappyjava\\.so"
            + "|native/Linux/(x86_64|aarch64)/libwebp-imageio\\.so"
            + "|META-INF/native/libnetty_[a-z_]+_(x86_64|aarch_64)\\.so");

    static List<String> entries() throws IOException {
        assertThat(JAR).as("the function jar; build it with -pl connectors/function -am package").isRegularFile();
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            List<String> names = new ArrayList<>();
            for (ZipEntry e : Collections.list(zip.entries())) {
                names.add(e.getName());
            }
            return names;
        }
    }

    @Test
    void jarIsAtMostFifteenMegabytes() throws IOException {
        assertThat(Files.size(JAR)).as("size of %s in bytes", JAR).isLessThanOrEqualTo(MAX_JAR_BYTES);
    }

    @Test
    void jarHoldsNoCliYamlOrEmulatorClasses() throws IOException {
        List<String> names = entries();
        assertThat(names).filteredOn(n -> FORBIDDEN_PREFIXES.stream().anyMatch(n::startsWith)).isEmpty();
        // The batch handlers write targets: the multipart sink and S3Store/OssStore ship since issue 18.
        assertThat(names).contains("io/transflux/connectors/upload/MultipartObjectSink.class",
                "io/transflux/connectors/s3/S3Store.class", "io/transflux/connectors/batch/BatchJob.class");
    }

    @Test
    void jarCarriesTheFunctionOperatorsAndTheirServiceEntries() throws IOException {
        List<String> names = entries();
        assertThat(names).contains("io/transflux/connectors/ObjectLambdaFunction.class",
                "io/transflux/pipeline/Pipeline.class", "META-INF/services/io.transflux.pipeline.StageProvider");
        assertThat(names).anyMatch(n -> n.startsWith("io/transflux/operators/compression/"))
                .anyMatch(n -> n.startsWith("io/transflux/operators/redact/"));
    }

    @Test
    void nativeLibrariesAreForLinuxX8664AndAarch64Only() throws IOException {
        List<String> natives = entries().stream().filter(n -> NATIVE.matcher(n).matches()).toList();
        assertThat(natives).isNotEmpty().allMatch(n -> ALLOWED_NATIVE.matcher(n).matches(),
                "a linux x86_64 / aarch64 native library");
        // Each native-backed library keeps both architectures.
        for (String arch : List.of("amd64", "aarch64")) {
            assertThat(natives).anyMatch(n -> n.startsWith("linux/" + arch + "/libzstd-jni"));
        }
        for (String arch : List.of("x86_64", "aarch64")) {
            assertThat(natives).contains("org/xerial/snappy/native/Linux/" + arch + "/libsnappyjava.so");
        }
        assertThat(natives).contains("META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                "META-INF/native/libnetty_transport_native_epoll_aarch_64.so");
    }

    @Test
    void handlerClassesLoadAndInitialiseFromTheJarAlone() throws Exception {
        // Parent is the platform loader: nothing from the test class path can fill a gap in the jar.
        try (URLClassLoader jar = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> lambda = jar.loadClass("com.amazonaws.services.lambda.runtime.RequestStreamHandler");
            Class<?> fc = jar.loadClass("com.aliyun.fc.runtime.StreamRequestHandler");
            Class<?> s3 = Class.forName(HANDLERS.get(0), true, jar);
            Class<?> oss = Class.forName(HANDLERS.get(1), true, jar);
            Class<?> batch = Class.forName(HANDLERS.get(2), true, jar);
            assertThat(lambda.isAssignableFrom(s3)).isTrue();
            assertThat(lambda.isAssignableFrom(batch)).isTrue();
            assertThat(fc.isAssignableFrom(Class.forName(HANDLERS.get(3), true, jar))).isTrue();
            assertThat(fc.isAssignableFrom(oss)).isTrue();
            assertThat(s3.getClassLoader()).isSameAs(jar);
        }
    }
}
