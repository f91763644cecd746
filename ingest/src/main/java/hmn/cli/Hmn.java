package hmn.cli;

import hmn.cli.shared.ExitCodes;
import hmn.core.BadInputException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hmn} command line: subcommands, and the one place where exceptions become exit codes. */
@Command(
        name = "hmn",
        mixinStandardHelpOptions = true,
        version = "hmn 0.1.0",
        description = "Explains what a vision model has learned, in groups of neurons, as a Neo4j knowledge graph.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Hmn implements Callable<Integer> {
    public static final int OK = ExitCodes.OK;
    public static final int FAILURE = ExitCodes.FAILURE;
    public static final int BAD_INPUT = ExitCodes.BAD_INPUT;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return BAD_INPUT;
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given writers; returns the exit code. Tests call this. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Hmn());
        Subcommands.register(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(Hmn::exitCode);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            ex.getCommandLine()
                    .getErr()
                    .println("hmn: " + ex.getMessage() + " (see: hmn "
                            + ex.getCommandLine().getCommandName() + " --help)");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable cause = rootBadInput(ex);
            if (cause instanceof BadInputException) {
                commandLine.getErr().println("hmn: " + cause.getMessage());
                return BAD_INPUT;
            }
            commandLine.getErr().println("hmn: failed: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return FAILURE;
        });
        return cli;
    }

    private static Throwable rootBadInput(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof BadInputException) {
                return t;
            }
        }
        return ex;
    }

    private static int exitCode(Throwable ex) {
        return rootBadInput(ex) instanceof BadInputException ? BAD_INPUT : FAILURE;
    }
}
