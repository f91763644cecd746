package hmn.cli;

import hmn.bench.ActivationsBenchCommand;
import hmn.bench.BenchLanguageCommand;
import hmn.bench.BlipBenchCommand;
import hmn.bench.FinchBenchCommand;
import hmn.bench.GraphBenchCommand;
import hmn.bench.PipelineBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        cli.addSubcommand("report", new ReportCommand());
        cli.addSubcommand("export", new ExportCommand());
        cli.addSubcommand("demo", new DemoCommand());
        cli.addSubcommand("activations", new ActivationsCommand());
        cli.addSubcommand("captions", new CaptionsCommand());
        cli.addSubcommand("embed", new EmbedCommand());
        cli.addSubcommand("label", new LabelCommand());
        cli.addSubcommand("cluster", new ClusterCommand());
        cli.addSubcommand("validate", new hmn.validate.ValidateCommand());
        bench(cli).addSubcommand("finch", new FinchBenchCommand());
        bench(cli).addSubcommand("activations", new ActivationsBenchCommand());
        bench(cli).addSubcommand("language", new BenchLanguageCommand());
        bench(cli).addSubcommand("blip", new BlipBenchCommand());
        bench(cli).addSubcommand("graph", new GraphBenchCommand());
        bench(cli).addSubcommand("pipeline", new PipelineBenchCommand(Hmn.class.getName()));
        bench(cli).addSubcommand("validity", new hmn.validate.ConceptRecoveryBench());
        bench(cli).addSubcommand("ablation", new hmn.bench.AblationBenchCommand());
        bench(cli).addSubcommand("ablation-forward", new hmn.bench.ForwardAblationBenchCommand());
    }

    /** The {@code bench} group (created on first use): each benchmark is a subcommand of it. */
    static CommandLine bench(CommandLine cli) {
        CommandLine group = cli.getSubcommands().get("bench");
        if (group == null) {
            cli.addSubcommand("bench", new Bench());
            group = cli.getSubcommands().get("bench");
        }
        return group;
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks; see the subcommands.")
    static final class Bench implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return Hmn.BAD_INPUT;
        }
    }
}
