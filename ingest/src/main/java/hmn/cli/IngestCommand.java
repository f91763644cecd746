package hmn.cli;

import hmn.activations.ActivationStage;
import hmn.cli.shared.ImportSummary;
import hmn.core.BadInputException;
import hmn.graph.GraphImport;
import hmn.graph.ImportOptions;
import hmn.group.GroupConfig;
import hmn.group.Mode;
import hmn.group.Rank;
import hmn.images.ImageSource;
import hmn.labels.ExtractiveLabeller;
import hmn.labels.Labeller;
import hmn.language.cache.JsonlCache;
import hmn.language.options.BlipOptions;
import hmn.language.options.LanguageOptions;
import hmn.language.options.LanguageStages;
import hmn.pipeline.DistributedStages;
import hmn.pipeline.Locations;
import hmn.pipeline.Pipeline;
import hmn.pipeline.WorkDir;
import hmn.remote.RemoteTarget;
import hmn.runtime.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hmn ingest}: builds the graph of an image collection from its captions, partition and activations. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Builds the hmn graph in an embedded Neo4j store: images, captions, the cluster hierarchy with its labels,"
                    + " neurons and activations, with the shared neuron groups and difference sets materialised.",
            "Every input is checked before the store is touched; the new store is built next to --db and swapped in"
                    + " only when complete."
        })
public final class IngestCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "IMAGES_DIR",
            description = "The image collection: a folder, a file:// URI, or with --spark a Hadoop file system's"
                    + " URI (hdfs://, s3a:// with its connector on the class path), which the driver lists and the"
                    + " executors read through that file system (no copy); image paths in the artifacts are relative"
                    + " to it, with '/' separators.")
    String images;

    @Option(
            names = "--db",
            required = true,
            paramLabel = "DIR",
            description = "The store directory (created or" + " replaced).")
    Path db;

    @Option(
            names = "--captions",
            paramLabel = "FILE",
            description = "Import the image captions (CSV image,caption"
                    + " or JSON Lines) instead of computing them with --captioner.")
    Path captions;

    @Option(
            names = "--embeddings",
            paramLabel = "FILE",
            description = "Import caption embeddings (.npy or .csv, N x D,"
                    + " rows in the order of the captions) instead of computing them with --embedder.")
    Path embeddings;

    @Option(
            names = "--partitions",
            paramLabel = "FILE",
            description = "Import a nested partition (CSV"
                    + " image,level_1,...,level_L) instead of clustering the caption embeddings with FINCH.")
    Path partitions;

    @Option(
            names = "--activations",
            paramLabel = "DIR",
            description = "Import activations (images.txt and one"
                    + " <layer>.npy, N x C float32, per layer) instead of running --model.")
    Path activations;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "Where every stage's artifacts are kept, so a re-run"
                    + " reuses finished work (default: DIR.work beside --db); a folder or a file:// URI. With --spark"
                    + " also a Hadoop file system's URI (hdfs://, s3a://): the Spark tables (Parquet, options.json)"
                    + " go to URI/spark/, and the driver's own files, appended and resumed in place (activations,"
                    + " captions.csv, caches, embeddings.npy, partitions), to DIR.work beside --db.")
    String work;

    @Option(
            names = "--layers",
            split = ",",
            paramLabel = "LAYER",
            description = "Layers to analyse (default: layer4"
                    + " when hmn runs the model; every .npy of --activations when imported).")
    List<String> layers = List.of();

    @Option(
            names = "--top",
            paramLabel = "FRACTION",
            defaultValue = "0.10",
            description = "Fraction of a layer's"
                    + " channels in an image's activated set, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double top;

    @Option(
            names = "--support",
            paramLabel = "FRACTION",
            defaultValue = "0.5",
            description =
                    "Fraction of a"
                            + " cluster's images that must activate a neuron for its group, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double support;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "intersection",
            description =
                    "Groups above level"
                            + " 1: intersection (of the children's groups, the paper's) or support (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--rank",
            paramLabel = "RANK",
            defaultValue = "raw",
            description = "How an image's activated set is"
                    + " ranked: raw (the paper's: the largest activations) or zscore (the largest activations standardised"
                    + " per channel over the collection) (default: ${DEFAULT-VALUE}).")
    String rank;

    @Option(names = "--levels", paramLabel = "N", description = "Keep only the first N partition levels.")
    Integer levels;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            defaultValue = "resnet18",
            description = "The model under study:"
                    + " resnet18, resnet34, resnet50, resnet101 or resnet152 (default: ${DEFAULT-VALUE}), a TorchScript file"
                    + " or an ONNX file (.onnx; --layers names its outputs or intermediate tensors).")
    String model;

    @Option(
            names = "--engine",
            paramLabel = "NAME",
            defaultValue = "onnxruntime",
            description = "What runs a"
                    + " catalogue model: onnxruntime (default) or pytorch; both compute torchvision's forward.")
    String engine;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "A local copy of the model's weights"
                    + " (safetensors or a torch checkpoint) instead of fetching the published ones.")
    Path weights;

    @Option(
            names = "--random-weights",
            paramLabel = "SEED",
            description = "Untrained, seeded random weights" + " (recorded as such on the Model node).")
    Long randomWeights;

    @Option(
            names = "--captioner",
            paramLabel = "NAME",
            defaultValue = "blip",
            description =
                    "blip (in-process"
                            + " BLIP, fetched on first use), blip:DIR, openai:MODEL or ollama:MODEL (default: ${DEFAULT-VALUE}).")
    String captioner;

    @Option(
            names = "--embedder",
            paramLabel = "NAME",
            defaultValue = "minilm",
            description = "minilm, minilm-q or" + " openai:MODEL (default: ${DEFAULT-VALUE}).")
    String embedder;

    @Option(
            names = "--llm",
            paramLabel = "NAME",
            defaultValue = "none",
            description =
                    "Labels by an LLM:"
                            + " openai:MODEL or ollama:MODEL; none = the offline extractive summariser (default: ${DEFAULT-VALUE}).")
    String llm;

    @Option(names = "--no-early-exit", description = "FINCH without its early exit (more levels).")
    boolean noEarlyExit;

    @Option(
            names = "--synthetic-root",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Add a synthetic root level (one cluster, marked synthetic) when the top level has more"
                    + " than one cluster (default: on; --no-synthetic-root turns it off).")
    boolean syntheticRoot;

    @Option(
            names = "--spark",
            paramLabel = "MASTER",
            description = "Run the activations, captions and caption embeddings as Apache Spark jobs on MASTER"
                    + " (e.g. 'local[2]', 'spark://host:7077'), each executor loading each model once; the rest runs"
                    + " here as without it. This is how hmn scales out. Needs the spark module (./hmn adds it when it"
                    + " sees --spark).")
    String spark;

    @Mixin
    RemoteTarget remote;

    @Mixin
    LanguageOptions language;

    @Mixin
    BlipOptions blip;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        GroupConfig groups = groupConfig(top, support, mode, rank);
        if (levels != null && levels < 1) {
            throw new BadInputException("--levels must be at least 1, got " + levels);
        }
        WorkDir workDir = Locations.work(work, db, spark != null);
        List<String> modelLayers = layers.isEmpty() ? List.of("layer4") : layers;
        ActivationStage activationStage = ActivationStage.builder()
                .model(model)
                .engine(Engine.parse(engine))
                .layers(modelLayers)
                .weightsFile(weights)
                .randomSeed(randomWeights)
                .progress(!language.noProgress)
                .build();
        try (DistributedStages distributed =
                spark == null ? null : DistributedStages.open(spark, workDir, Locations.hadoopWork(work), out)) {
            ImageSource imageSource = Locations.images(images, distributed);
            return ingest(out, imageSource, groups, workDir, modelLayers, activationStage, distributed);
        }
    }

    private int ingest(
            PrintWriter out,
            ImageSource images,
            GroupConfig groups,
            WorkDir workDir,
            List<String> modelLayers,
            ActivationStage activationStage,
            DistributedStages distributed)
            throws java.io.IOException {
        Pipeline.Settings settings = new Pipeline.Settings(
                images,
                workDir,
                captions,
                embeddings,
                partitions,
                activations,
                captioner,
                embedder,
                !noEarlyExit,
                activationStage,
                language,
                blip,
                distributed,
                !language.noProgress);
        Pipeline.Artifacts artifacts = new Pipeline(settings).run();
        ImportOptions options = new ImportOptions(groups, syntheticRoot, model, artifacts.captionModel());
        if (distributed != null) {
            options = options.withSupportCounts(distributed.supportCounts());
        }
        List<String> importLayers = activations == null ? ActivationStage.storedLayers(model, modelLayers) : layers;
        GraphImport.Inputs inputs = inputs(
                        images.folder(),
                        artifacts.captions(),
                        artifacts.partitions(),
                        artifacts.activations(),
                        importLayers,
                        levels)
                .excluding(artifacts.skipped());
        GraphImport.Result result;
        try (JsonlCache cache = language.noCache ? null : JsonlCache.open(workDir.labelCache())) {
            Labeller labeller = LanguageStages.labeller(
                    llm, language, ExtractiveLabeller.builder().build(), cache);
            result = remote.isSet()
                    ? remote.write(inputs, options, labeller, workDir, out)
                    : GraphImport.run(inputs, options, labeller, db);
        }
        printStages(out, artifacts);
        ImportSummary.print(out, result);
        return Hmn.OK;
    }

    static void printStages(PrintWriter out, Pipeline.Artifacts artifacts) {
        for (Pipeline.StageReport r : artifacts.stages()) {
            out.printf(Locale.ROOT, "  %-12s %-9s %7.1f s  %s%n", r.stage(), r.how(), r.millis() / 1e3, r.note());
        }
        if (!artifacts.skipped().isEmpty()) {
            out.printf(
                    Locale.ROOT, "  skipped %d input(s):%n", artifacts.skipped().size());
            artifacts.skipped().entrySet().stream()
                    .limit(10)
                    .forEach(e -> out.printf(Locale.ROOT, "    %s: %s%n", e.getKey(), e.getValue()));
        }
        ActivationStage.Result a = artifacts.activation();
        if (a != null && a.fallbackReason() != null) {
            out.println("  NOTE: the model's published weights could not be fetched (" + a.fallbackReason()
                    + "); activations come from seeded random weights, recorded on the Model node");
        }
    }

    static GraphImport.Inputs inputs(
            Path images, Path captions, Path partitions, Path activations, List<String> layers, Integer levels) {
        if (captions == null) {
            throw new BadInputException(
                    "--captions FILE is required: give the image captions (CSV image,caption" + " or JSON Lines)");
        }
        if (partitions == null) {
            throw new BadInputException(
                    "--partitions FILE is required: give the nested partition (CSV" + " image,level_1,...,level_L)");
        }
        if (activations == null) {
            throw new BadInputException(
                    "--activations DIR is required: give the directory with images.txt and" + " <layer>.npy files");
        }
        if (levels != null && levels < 1) {
            throw new BadInputException("--levels must be at least 1, got " + levels);
        }
        return new GraphImport.Inputs(images, captions, partitions, activations, layers, levels);
    }

    /**
     * {@code --top}, {@code --support}, {@code --mode} and {@code --rank} (any case), validated once, by core's rule: the message is
     * {@link GroupConfig}'s, which names the key, with the option's dashes.
     */
    static GroupConfig groupConfig(double top, double support, String mode, String rank) {
        try {
            String lower = mode.toLowerCase(Locale.ROOT);
            String rankLower = rank.toLowerCase(Locale.ROOT);
            return GroupConfig.of(
                    null,
                    top,
                    support,
                    Mode.keys().contains(lower) ? lower : mode,
                    Rank.keys().contains(rankLower) ? rankLower : rank);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage());
        }
    }
}
