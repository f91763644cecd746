package hmn.activations;

import hmn.cli.BadInputException;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hmn activations IMAGES_DIR --out DIR}: the model's neuron activations on every image. */
@Command(
        name = "activations",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the model under study on every image of IMAGES_DIR and writes each layer's channel activations"
                    + " (spatial means) to DIR: images.txt, <layer>.npy (N x C float32), skipped.tsv, run.json.",
            "Rows are written as they are computed; run the same command again to resume a stopped run."
        })
public final class ActivationsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGES_DIR", description = "Directory of images (searched recursively).")
    Path imagesDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Activations directory to write or resume.")
    Path out;

    @Option(names = "--model", defaultValue = "resnet18", paramLabel = "NAME",
            description = "Catalogue model (${COMPLETION-CANDIDATES}; default: ${DEFAULT-VALUE}) or a TorchScript"
                    + " file whose forward returns named outputs (then --layers names them).",
            completionCandidates = CatalogueNames.class)
    String model;

    @Option(names = "--layers", defaultValue = "layer4", split = ",", paramLabel = "L1,L2",
            description = "Layers to record (default: ${DEFAULT-VALUE}); for ResNets layer1..layer4, avgpool, fc.")
    List<String> layers;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Local weights (.safetensors or PyTorch .pth state dict with torchvision names).")
    Path weights;

    @Option(names = "--random-weights", paramLabel = "SEED",
            description = "Untrained seeded weights instead of the published ones (recorded as such).")
    Long randomSeed;

    @Option(names = "--cache", paramLabel = "DIR", description = "Weights cache (default: $HMN_CACHE/models or ~/.cache/hmn/models).")
    Path cache;

    @Option(names = "--batch", defaultValue = "16", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "0",
            description = "PyTorch compute threads (default: 0 = one per core).")
    int threads;

    @Option(names = "--decode-threads", defaultValue = "0",
            description = "Image decoding threads (default: 0 = half the cores, at least 1).")
    int decodeThreads;

    @Option(names = "--max-pixels", defaultValue = "" + ImageDecoder.DEFAULT_MAX_PIXELS,
            description = "Skip images with more pixels (decompression-bomb guard; default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--fast-decode", description = "Decode large JPEGs subsampled (faster; pixels differ slightly from"
            + " torchvision's full decode).")
    boolean fastDecode;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (!Files.isDirectory(imagesDir)) {
            throw new BadInputException("IMAGES_DIR " + imagesDir + " is not a directory; give the folder of images");
        }
        if (batch < 1 || batch > 4096) {
            throw new BadInputException("--batch must be in 1..4096, got " + batch);
        }
        if (maxPixels < 1) {
            throw new BadInputException("--max-pixels must be positive, got " + maxPixels);
        }
        if (weights != null && randomSeed != null) {
            throw new BadInputException("--weights and --random-weights exclude each other; choose one");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        boolean torchScript = isTorchScript(model);
        ModelSpec modelSpec = torchScript ? null : ModelCatalogue.get(model);
        if (modelSpec != null) {
            modelSpec.select(layers); // unknown layers fail before any weights are fetched
        } else if (weights != null || randomSeed != null) {
            throw new BadInputException("--weights and --random-weights apply to catalogue models; a TorchScript file"
                    + " carries its own weights");
        }
        ImageNetPreprocessing preprocessing = modelSpec == null ? ImageNetPreprocessing.IMAGENET
                : modelSpec.preprocessing().toTransform();
        TorchvisionResNet.setThreads(threads > 0 ? threads : cores);
        ImageDecoder decoder = ImageDecoder.builder().maxPixels(maxPixels)
                .reducedDecodeShorterSide(fastDecode ? 2 * preprocessing.resizeShorter() : 0).build();
        try (ActivationModel net = torchScript ? TorchScriptModel.load(Path.of(model), layers, preprocessing.crop())
                : resnet(modelSpec)) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("model", modelSpec == null ? Path.of(model).getFileName().toString() : modelSpec.name());
            run.put("weights", net.provenance());
            run.put("layers", List.copyOf(net.layers().keySet()));
            run.put("channels", List.copyOf(net.layers().values()));
            run.put("preprocessing", preprocessing.describe());
            run.put("fastDecode", fastDecode);
            ActivationRun.Summary s;
            try (ActivationStore store = ActivationStore.open(out, net.layers(), run)) {
                s = ActivationRun.builder().model(net).preprocessing(preprocessing)
                        .decoder(decoder).batchSize(batch)
                        .decodeThreads(decodeThreads > 0 ? decodeThreads : Math.max(1, cores / 2))
                        .progress(!noProgress).build().run(imagesDir, store);
            }
            report(w, s, String.valueOf(run.get("model")), net);
        }
        return 0;
    }

    private TorchvisionResNet resnet(ModelSpec modelSpec) {
        WeightsSource.Loaded loaded = randomSeed != null
                ? WeightsSource.random(ResNetArchitecture.of(modelSpec), randomSeed)
                : weights != null
                        ? WeightsSource.file(weights)
                        : WeightsSource.builder().cacheDir(cache != null ? cache : WeightsSource.defaultCacheDir())
                                .progress(!noProgress).build().published(modelSpec);
        return TorchvisionResNet.create(modelSpec, loaded.tensors(), layers, loaded.provenance());
    }

    static boolean isTorchScript(String model) {
        String lower = model.toLowerCase(Locale.ROOT);
        return lower.endsWith(".pt") || lower.endsWith(".pts") || lower.endsWith(".torchscript")
                || model.contains("/") || Files.isRegularFile(Path.of(model));
    }

    private void report(PrintWriter w, ActivationRun.Summary s, String modelName, ActivationModel net) {
        w.printf(Locale.ROOT, "activations: %d images written (%d from an earlier run), %d skipped -> %s%n",
                s.stored(), s.resumed(), s.skipped().size(), out);
        w.printf(Locale.ROOT, "model: %s, layers %s, weights %s%n", modelName, net.layers(), net.provenance());
        if (s.stored() > 0) {
            w.printf(Locale.ROOT, "time: %.1f s, %.1f images/s; forward %.1f s, write %.1f s, waiting for decode %.1f s"
                    + " (decode+preprocess %.1f s of thread time)%n", s.seconds(), s.imagesPerSecond(),
                    s.forwardSeconds(), s.writeSeconds(), s.waitSeconds(), s.decodeSeconds());
        }
        s.skipCounts().forEach((kind, n) -> w.printf(Locale.ROOT, "skipped %d: %s%n", n, kind));
        if (!s.skipped().isEmpty()) {
            w.printf("reasons per image: %s%n", out.resolve("skipped.tsv"));
        }
    }

    /** The catalogue's model names, for --help. */
    static final class CatalogueNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelCatalogue.names().iterator();
        }
    }
}
