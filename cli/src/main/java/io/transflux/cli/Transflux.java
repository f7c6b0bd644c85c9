package io.transflux.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code transflux} command.
 *
 * <p>Exit codes: 0 success, 1 input or pipeline error (one line {@code error: <Code>: <message>} on
 * stderr), 2 usage error.
 */
@Command(name = "transflux",
        mixinStandardHelpOptions = true,
        versionProvider = Transflux.Version.class,
        description = "Backpressured object-transformation pipelines for S3 Object Lambda and OSS Object FC.",
        subcommands = {RunCommand.class, InvokeCommand.class, ServeCommand.class, ProcessCommand.class, BatchCommand.class,
                CallbackServerCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Transflux {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command without exiting; used by tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Transflux());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> EXIT_FAILURE);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Transflux.class.getPackage().getImplementationVersion();
            return new String[] {"transflux " + (v == null ? "dev" : v)};
        }
    }
}
