package io.transflux.connectors;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one handler invocation the way the platform runtime does, in a JVM whose class path is the function jar
 * plus this class only: {@code FunctionJarDriver <handler class> <event file>...}, one invocation per event on one
 * handler instance (a warm container). Each reply goes to stdout on its own line. Uses
 * reflection so that nothing but the JDK is linked from here; the context is null, as in a local run.
 */
public final class FunctionJarDriver {

    private FunctionJarDriver() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> type = Class.forName(args[0]);
        Object handler = type.getConstructor().newInstance();
        Method handle = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals("handleRequest") && m.getParameterCount() == 3
                    && m.getParameterTypes()[0] == InputStream.class) {
                handle = m;
            }
        }
        if (handle == null) {
            throw new IllegalStateException(args[0] + " has no handleRequest(InputStream, OutputStream, Context)");
        }
        for (int i = 1; i < args.length; i++) {
            try (InputStream in = Files.newInputStream(Path.of(args[i]))) {
                handle.invoke(handler, in, System.out, null);
            }
            System.out.println();
        }
        System.out.flush();
        // The handler's event loops are daemon-less by design (reused across invocations): exit like a runtime would.
        System.exit(0);
    }
}
