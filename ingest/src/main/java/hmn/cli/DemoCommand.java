package hmn.cli;

import hmn.artifacts.SyntheticCollection;
import hmn.graph.GraphImport;
import hmn.graph.ImportOptions;
import hmn.graph.StoreSwap;
import hmn.label.ExtractiveLabeller;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn demo}: generates a small artifact set with real structure (captions, a nested partition and ResNet18-
 * shaped activations), imports it and shows how to explore the graph. Offline.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Builds a demo graph offline from a generated sample set (images, captions, a nested partition,"
                + " ResNet18-shaped activations) and prints how to explore it.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--db", defaultValue = "demo-db", paramLabel = "DIR", description = "The store directory"
            + " (default: ${DEFAULT-VALUE}).")
    Path db;

    @Option(names = "--data", defaultValue = "hmn-data/demo", paramLabel = "DIR", description = "Where the sample"
            + " set is written (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--images", defaultValue = "240", paramLabel = "N", description = "Images in the sample set"
            + " (default: ${DEFAULT-VALUE}).")
    int images;

    @Override
    public Integer call() throws Exception {
        if (images < 24) {
            throw new BadInputException("--images must be at least 24 (the sample has 24 level-1 clusters), got "
                    + images);
        }
        PrintWriter out = spec.commandLine().getOut();
        StoreSwap.recover(db);
        StoreSwap.requireReplaceable(db, "--db");
        SyntheticCollection.clear(data, "--data");
        SyntheticCollection.Files files = SyntheticCollection.builder().images(images).build().writeTo(data);
        out.println("demo: generated " + images + " images with captions, a 3-level partition and activations of"
                + " ResNet18's layer1..layer4 in " + data);
        GraphImport.Inputs inputs = new GraphImport.Inputs(files.images(), files.captions(), files.partitions(),
                files.activations(), List.of(), null);
        ImportOptions options = new ImportOptions(ImportOptions.DEFAULT_TOP, ImportOptions.DEFAULT_SUPPORT,
                ImportOptions.DEFAULT_MODE, true, "resnet18", files.captions().getFileName().toString());
        GraphImport.Result result = GraphImport.run(inputs, options, ExtractiveLabeller.builder().build(), db);
        IngestCommand.printSummary(out, result);
        String hmn = "./hmn";
        out.println();
        out.println("Explore the graph:");
        out.println("  " + hmn + " cypher --db " + db + " \"MATCH (c:Cluster) WHERE c.level = 1 RETURN c.id, c.size,"
                + " c.caption ORDER BY c.size DESC LIMIT 5\"");
        out.println("  " + hmn + " cypher --db " + db + " \"CALL hmn.cluster.sharedNeurons('L1-0', {layer:"
                + " 'layer4'}) YIELD layer, neuron, support RETURN *\"");
        out.println("  " + hmn + " cypher --db " + db + " \"MATCH (c:Cluster)-[d:DIFFERS_BY]->(s) RETURN c.id,"
                + " d.parent, d.description, s.size LIMIT 10\"");
        out.println("  " + hmn + " serve --db " + db + "   (then open http://127.0.0.1:7474/browser/)");
        out.println("  more example queries: cypher/examples/*.cypher");
        out.flush();
        return Hmn.OK;
    }
}
