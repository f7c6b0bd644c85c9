package io.transflux.connectors.accesspoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Finds the AWS Lambda Runtime Interface Client that serve carries (a Maven dependency of the emulator) so a function
 * JVM can be started with it. From plain jars (Maven, IDE) the jars are used as they are; from a shaded jar (the CLI's
 * {@code transflux.jar}) only the RIC's packages are copied to a temporary jar, so the function JVM never sees serve's
 * own classes and tests the function's classpath alone.
 */
final class RicClasspath {

    /** One class from each jar the RIC needs at run time: itself, lambda-java-core, -serialization, utils-lite. */
    private static final List<String> MARKERS = List.of(
            "com/amazonaws/services/lambda/runtime/api/client/AWSLambda.class",
            "com/amazonaws/services/lambda/runtime/Context.class",
            "com/amazonaws/services/lambda/runtime/serialization/PojoSerializer.class",
            "software/amazon/awssdk/utilslite/SdkInternalThreadLocal.class");
    /** What those jars hold, for copying out of a shaded jar. */
    private static final List<String> PREFIXES = List.of("com/amazonaws/services/lambda/", "com/amazonaws/lambda/",
            "software/amazon/awssdk/utilslite/", "jni/", "META-INF/services/com.amazonaws");

    private RicClasspath() {
    }

    static List<Path> locate() {
        Set<Path> roots = new LinkedHashSet<>();
        for (String m : MARKERS) {
            URL u = RicClasspath.class.getClassLoader().getResource(m);
            if (u == null) {
                throw new IllegalStateException("The Lambda Runtime Interface Client is not on serve's classpath (missing "
                        + m + "); pass its jars explicitly");
            }
            roots.add(rootOf(u, m));
        }
        List<Path> out = new ArrayList<>();
        for (Path r : roots) {
            String name = r.getFileName().toString();
            boolean plain = Files.isDirectory(r) || name.startsWith("aws-lambda-java-") || name.startsWith("utils-lite");
            out.add(plain ? r : extract(r));
        }
        return out;
    }

    private static Path rootOf(URL u, String resource) {
        try {
            if (u.getProtocol().equals("jar")) {
                String s = u.getPath();
                return Path.of(new java.net.URI(s.substring(0, s.indexOf("!/"))));
            }
            Path p = Path.of(u.toURI());
            for (int i = resource.split("/").length; i > 0; i--) {
                p = p.getParent();
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Unreadable classpath location " + u, e);
        }
    }

    /**
     * The RIC's JNI client for this machine, unpacked once to a private file. Left to itself every RIC process copies
     * it to the one path {@code /tmp/.libaws-lambda-jni.so} and loads it from there, so processes starting together
     * overwrite a library another is loading and crash (seen here: SIGSEGV in {@code dlopen}); the RIC loads the
     * file named by {@value #JNI_PROPERTY} instead.
     */
    static Path unpackNative(List<Path> ricClasspath) {
        String arch = System.getProperty("os.arch");
        String lib = "jni/libaws-lambda-jni.linux-" + (arch.equals("aarch64") ? "aarch_64" : "x86_64") + ".so";
        for (Path p : ricClasspath) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            try (JarFile jar = new JarFile(p.toFile())) {
                JarEntry e = jar.getJarEntry(lib);
                if (e == null) {
                    continue;
                }
                Path out = Files.createTempFile("transflux-aws-lambda-jni-", ".so");
                out.toFile().deleteOnExit();
                try (InputStream is = jar.getInputStream(e)) {
                    Files.copy(is, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return out;
            } catch (IOException ex) {
                throw new UncheckedIOException("Could not unpack the Runtime Interface Client's " + lib, ex);
            }
        }
        throw new IllegalStateException("The Runtime Interface Client jars hold no " + lib);
    }

    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    /** Copies the RIC's packages out of the shaded {@code jar} into a temporary jar. */
    private static Path extract(Path jar) {
        try {
            // A stable name per source jar: start-up archives (AppCDS, AOT cache) only match the same classpath.
            String key = Integer.toHexString((jar.toAbsolutePath() + ":" + Files.size(jar) + ":"
                    + Files.getLastModifiedTime(jar).toMillis()).hashCode());
            Path out = Path.of(System.getProperty("java.io.tmpdir"), "transflux-ric-" + key + ".jar");
            if (Files.isRegularFile(out)) {
                return out;
            }
            Path tmp = Files.createTempFile("transflux-ric-", ".tmp");
            try (JarFile in = new JarFile(jar.toFile());
                 JarOutputStream os = new JarOutputStream(Files.newOutputStream(tmp))) {
                for (JarEntry e : java.util.Collections.list(in.entries())) {
                    if (e.isDirectory() || PREFIXES.stream().noneMatch(e.getName()::startsWith)) {
                        continue;
                    }
                    os.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream is = in.getInputStream(e)) {
                        is.transferTo(os);
                    }
                    os.closeEntry();
                }
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not copy the Runtime Interface Client out of " + jar, e);
        }
    }
}
