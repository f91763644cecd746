package hmn.cli;

import picocli.CommandLine;

/**
 * The list of subcommands. Each subcommand is a picocli {@code Callable<Integer>} in its own class;
 * adding one is one line here.
 */
final class Subcommands {
    private Subcommands() {}

    static void register(CommandLine cli) {
        // e.g. cli.addSubcommand("cluster", new ClusterCommand());
        cli.addSubcommand("ingest", new IngestCommand());
        cli.addSubcommand("cypher", new CypherCommand());
        cli.addSubcommand("serve", new ServeCommand());
        cli.addSubcommand("demo", new DemoCommand());
    }
}
