package hmn.cli;

import hmn.activations.ActivationRun;
import hmn.activations.ActivationStage;
import hmn.images.ImageDecoder;
import hmn.runtime.Engine;
import hmn.runtime.ModelCatalogue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Activations directory to write or resume.")
    Path out;

    @Option(
            names = "--model",
            defaultValue = "resnet18",
            paramLabel = "NAME",
            description = "Catalogue model (${COMPLETION-CANDIDATES}; default: ${DEFAULT-VALUE}), a TorchScript"
                    + " file whose forward returns named outputs, or an ONNX file (.onnx) whose graph outputs or"
                    + " intermediate tensors --layers names.",
            completionCandidates = CatalogueNames.class)
    String model;

    @Option(
            names = "--layers",
            defaultValue = "layer4",
            split = ",",
            paramLabel = "L1,L2",
            description = "Layers to record (default: ${DEFAULT-VALUE}); for ResNets layer1..layer4, avgpool, fc.")
    List<String> layers;

    @Option(
            names = "--engine",
            paramLabel = "NAME",
            defaultValue = "onnxruntime",
            description = "What runs a catalogue model: onnxruntime (default) or pytorch; both compute torchvision's"
                    + " forward and differ by float rounding.")
    String engine;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "Local weights (.safetensors or PyTorch .pth state dict with torchvision names).")
    Path weights;

    @Option(
            names = "--random-weights",
            paramLabel = "SEED",
            description = "Untrained seeded weights instead of the published ones (recorded as such).")
    Long randomSeed;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Weights cache (default: $HMN_CACHE/models or ~/.cache/hmn/models).")
    Path cache;

    @Option(
            names = "--batch",
            defaultValue = "16",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "Compute threads of the engine (default: 0 = one per core).")
    int threads;

    @Option(
            names = "--decode-threads",
            defaultValue = "0",
            description = "Image decoding threads (default: 0 = one per core).")
    int decodeThreads;

    @Option(
            names = "--max-pixels",
            defaultValue = "" + ImageDecoder.DEFAULT_MAX_PIXELS,
            description = "Skip images with more pixels (decompression-bomb guard; default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(
            names = "--fast-decode",
            description = "Decode large JPEGs subsampled (faster; pixels differ slightly from"
                    + " torchvision's full decode).")
    boolean fastDecode;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        ActivationStage.Result r = ActivationStage.builder()
                .model(model)
                .engine(Engine.parse(engine))
                .layers(layers)
                .weightsFile(weights)
                .randomSeed(randomSeed)
                .cacheDir(cache)
                .batchSize(batch)
                .threads(threads)
                .decodeThreads(decodeThreads)
                .maxPixels(maxPixels)
                .fastDecode(fastDecode)
                .progress(!noProgress)
                .build()
                .run(imagesDir, out);
        report(spec.commandLine().getOut(), r);
        return 0;
    }

    private void report(PrintWriter w, ActivationStage.Result r) {
        ActivationRun.Summary s = r.summary();
        w.printf(
                Locale.ROOT,
                "activations: %d images written (%d from an earlier run), %d skipped -> %s%n",
                s.stored(),
                s.resumed(),
                s.skipped().size(),
                out);
        w.printf(Locale.ROOT, "model: %s, layers %s, weights %s%n", r.model(), r.layers(), r.provenance());
        if (s.stored() > 0) {
            w.printf(
                    Locale.ROOT,
                    "time: %.1f s, %.1f images/s; forward %.1f s, write %.1f s, waiting for decode %.1f s"
                            + " (decode+preprocess %.1f s of thread time)%n",
                    s.seconds(),
                    s.imagesPerSecond(),
                    s.forwardSeconds(),
                    s.writeSeconds(),
                    s.waitSeconds(),
                    s.decodeSeconds());
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
