package io.transflux.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM running {@code transflux} from the test class path, as a user runs the
 * jar: on JDK 22+ it gets {@code --enable-native-access=ALL-UNNAMED}, which the jar's manifest gives users
 * (a {@code -cp} launch does not read it).
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code java [jvmOptions] -cp <test class path> io.transflux.cli.Transflux [args]}. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Transflux.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> command(String... args) {
        return command(List.of(), args);
    }
}
