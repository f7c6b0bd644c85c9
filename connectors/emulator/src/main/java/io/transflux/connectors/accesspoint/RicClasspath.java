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

    /** Copies the RIC's packages out of the shaded {@code jar} into a temporary jar. */
    private static Path extract(Path jar) {
        try {
            Path out = Files.createTempFile("transflux-ric-", ".jar");
            out.toFile().deleteOnExit();
            try (JarFile in = new JarFile(jar.toFile());
                 JarOutputStream os = new JarOutputStream(Files.newOutputStream(out))) {
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
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not copy the Runtime Interface Client out of " + jar, e);
        }
    }
}
