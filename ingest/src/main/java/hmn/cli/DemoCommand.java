package hmn.cli;

import hmn.activations.ActivationStage;
import hmn.artifacts.SyntheticCollection;
import hmn.captions.Captioner;
import hmn.cli.shared.ImportSummary;
import hmn.core.BadInputException;
import hmn.graph.GraphImport;
import hmn.graph.ImportOptions;
import hmn.graph.StoreSwap;
import hmn.group.GroupConfig;
import hmn.labels.ExtractiveLabeller;
import hmn.language.options.BlipOptions;
import hmn.language.options.LanguageOptions;
import hmn.language.options.LanguageStages;
import hmn.pipeline.Pipeline;
import hmn.pipeline.WorkDir;
import hmn.server.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn demo}: the whole pipeline on the bundled sample collection (demo/images: generated scenes with their
 * true captions), offline, then how to explore the result. It uses BLIP and ResNet18's published weights when they
 * are available and says clearly when they are not (then: the scenes' true captions, and seeded random weights,
 * recorded as such on the Model node).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Runs the whole pipeline on the bundled sample collection (demo/images), offline, and prints how"
                + " to explore the graph.")
public final class DemoCommand implements Callable<Integer> {
    static final List<String> LAYERS = List.of("layer1", "layer2", "layer3", "layer4");
    /** The model the demo explains: trained by hmn on scenes with known concepts, its weights ship in models/. */
    static final String MODEL = "scenes-resnet18";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--db",
            defaultValue = "demo-db",
            paramLabel = "DIR",
            description = "The store directory" + " (default: ${DEFAULT-VALUE}).")
    Path db;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "The sample collection (default: demo/images of" + " this installation).")
    Path images;

    @Option(
            names = "--generated-artifacts",
            description = "Skip the models: import a generated artifact set"
                    + " (captions, a nested partition, activations with planted structure) written to --data.")
    boolean generatedArtifacts;

    @Option(
            names = "--data",
            defaultValue = "hmn-data/demo",
            paramLabel = "DIR",
            description = "With" + " --generated-artifacts: where they are written (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(
            names = "--count",
            defaultValue = "240",
            paramLabel = "N",
            description = "With --generated-artifacts:" + " images in the set (default: ${DEFAULT-VALUE}).")
    int count;

    @Mixin
    LanguageOptions language;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StoreSwap.recover(db);
        StoreSwap.requireReplaceable(db, "--db");
        GraphImport.Result result = generatedArtifacts ? fromGeneratedArtifacts(out) : fromImages(out);
        ImportSummary.print(out, result);
        if (findings != null) {
            out.println();
            findings.forEach(out::println);
        }
        printHowToExplore(out);
        return Hmn.OK;
    }

    private GraphImport.Result fromImages(PrintWriter out) throws Exception {
        Path collection = images != null ? images : bundledImages();
        Path trueCaptions = collection.resolve(hmn.demo.SampleSet.TRUE_CAPTIONS);
        String captioner = "blip";
        Path importedCaptions = null;
        try (Captioner blip = LanguageStages.captioner("blip", language)) {
            out.println("demo: captions by " + blip.model());
        } catch (RuntimeException e) { // no local checkpoint and no network
            importedCaptions = trueCaptions;
            out.println("demo: BLIP's weights are not available (" + e.getMessage() + ");");
            out.println("      using the scenes' true captions (" + trueCaptions + ") instead");
        }
        WorkDir work = WorkDir.besideStore(db);
        Pipeline.Settings settings = new Pipeline.Settings(
                hmn.images.ImageSource.folder(collection),
                work,
                importedCaptions,
                null,
                null,
                null,
                captioner,
                "minilm",
                true,
                ActivationStage.builder()
                        .model(MODEL)
                        .layers(LAYERS)
                        .progress(!language.noProgress)
                        .build(),
                language,
                new BlipOptions(),
                null,
                !language.noProgress);
        Pipeline.Artifacts artifacts = new Pipeline(settings).run();
        IngestCommand.printStages(out, artifacts);
        ImportOptions options = new ImportOptions(GroupConfig.DEFAULTS, true, MODEL, artifacts.captionModel());
        GraphImport.Inputs inputs = new GraphImport.Inputs(
                collection, artifacts.captions(), artifacts.partitions(), artifacts.activations(), LAYERS, null);
        GraphImport.Result result =
                GraphImport.run(inputs, options, ExtractiveLabeller.builder().build(), db);
        findings = findings(collection);
        return result;
    }

    /** What the demo found, printed after the summary: null for generated artifacts. */
    private List<String> findings;

    /**
     * One neuron group (among level-1 clusters of 4 images or more, the one whose layer4 group has the highest median
     * lift) and one difference set (the most significant), with their statistics, and the report command that draws
     * them.
     */
    private List<String> findings(Path collection) {
        List<String> lines = new ArrayList<>();
        try (Store store = Store.open(db);
                Transaction tx = store.db().beginTx()) {
            try (Result group = tx.execute("MATCH (c:Cluster {level: 1}) "
                    + "CALL hmn.cluster.validity(c, {layer: 'layer4'}) YIELD groupSize, medianLift, heldOutPrecision "
                    + "WITH c, groupSize, medianLift, heldOutPrecision "
                    + "WHERE groupSize > 0 AND medianLift IS NOT NULL AND heldOutPrecision IS NOT NULL "
                    + "RETURN c.id AS id, c.caption AS caption, groupSize, medianLift, heldOutPrecision "
                    + "ORDER BY medianLift DESC, id LIMIT 1")) {
                if (group.hasNext()) {
                    Map<String, Object> r = group.next();
                    lines.add(String.format(
                            Locale.ROOT,
                            "A neuron group: %s \"%s\": %s layer4 neurons shared by its"
                                    + " images, median lift %.2f (they fire %.2f times as often in it as in the collection),"
                                    + " held-out precision %s",
                            r.get("id"),
                            r.get("caption"),
                            r.get("groupSize"),
                            (Double) r.get("medianLift"),
                            (Double) r.get("medianLift"),
                            r.get("heldOutPrecision") == null
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.2f", (Double) r.get("heldOutPrecision"))));
                }
            }
            try (Result difference = tx.execute("MATCH (c:Cluster)-[d:DIFFERS_BY]->(s:DifferenceSet) WHERE s.size > 0 "
                    + "CALL hmn.cluster.differenceNeurons(c, {layer: 'layer4'}) YIELD neuron, contrast, p "
                    + "WITH c, d, count(neuron) AS neurons, avg(contrast) AS contrast, min(p) AS p "
                    + "WHERE neurons > 0 AND contrast IS NOT NULL "
                    + "RETURN c.id AS id, d.parent AS parent, d.description AS description, neurons, contrast, p "
                    + "ORDER BY p, contrast DESC, id LIMIT 1")) {
                if (difference.hasNext()) {
                    Map<String, Object> r = difference.next();
                    lines.add(String.format(
                            Locale.ROOT,
                            "A difference set: %s beyond its parent %s (\"%s\"): %s"
                                    + " layer4 neurons, mean contrast %.2f (support in it minus among the parent's other"
                                    + " images), smallest p %.2g",
                            r.get("id"),
                            r.get("parent"),
                            r.get("description"),
                            r.get("neurons"),
                            (Double) r.get("contrast"),
                            (Double) r.get("p")));
                }
            }
        }
        lines.add("See them: ./hmn report --db " + db + " --out " + db + ".report --images " + collection
                + "   (then open " + db + ".report/index.html)");
        return lines;
    }

    /** demo/images beside the installation ({@code hmn.home}, set by the launcher), or under the working directory. */
    static Path bundledImages() {
        String home = System.getProperty("hmn.home");
        Path dir = (home != null ? Path.of(home) : Path.of("")).resolve("demo").resolve("images");
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("the sample collection " + dir.toAbsolutePath() + " is missing; run from the"
                    + " hmn checkout or pass --images DIR");
        }
        return dir;
    }

    private GraphImport.Result fromGeneratedArtifacts(PrintWriter out) throws Exception {
        if (count < 24) {
            throw new BadInputException(
                    "--count must be at least 24 (the sample has 24 level-1 clusters), got " + count);
        }
        SyntheticCollection.clear(data, "--data");
        SyntheticCollection.Files files =
                SyntheticCollection.builder().images(count).build().writeTo(data);
        out.println("demo: generated " + count + " images with captions, a 3-level partition and activations of"
                + " ResNet18's layer1..layer4 in " + data);
        GraphImport.Inputs inputs = new GraphImport.Inputs(
                files.images(), files.captions(), files.partitions(), files.activations(), List.of(), null);
        ImportOptions options = new ImportOptions(
                GroupConfig.DEFAULTS,
                true,
                "resnet18",
                files.captions().getFileName().toString());
        return GraphImport.run(inputs, options, ExtractiveLabeller.builder().build(), db);
    }

    private void printHowToExplore(PrintWriter out) {
        String hmn = "./hmn";
        out.println();
        out.println("Explore the graph:");
        out.println("  " + hmn + " cypher --db " + db + " \"MATCH (c:Cluster) WHERE c.level = 1 RETURN c.id, c.size,"
                + " c.caption ORDER BY c.size DESC LIMIT 5\"");
        out.println("  " + hmn + " cypher --db " + db + " \"CALL hmn.cluster.sharedNeurons('L1-0', {layer:"
                + " 'layer4'}) YIELD layer, neuron, support RETURN *\"");
        out.println("  " + hmn + " cypher --db " + db + " \"MATCH (c:Cluster)-[d:DIFFERS_BY]->(s) RETURN c.id,"
                + " d.parent, d.description, s.size LIMIT 10\"");
        out.println(String.format(
                Locale.ROOT,
                "  %s serve --db %s   (then open http://127.0.0.1:7474/browser/:" + " the hmn guide opens on connect)",
                hmn,
                db));
        out.println("  more example queries: cypher/examples/*.cypher");
        out.flush();
    }
}
