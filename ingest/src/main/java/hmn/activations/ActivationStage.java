package hmn.activations;

import hmn.core.BadInputException;
import hmn.images.CollectionFiles;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.images.ImageSource;
import hmn.runtime.ActivationModel;
import hmn.runtime.Engine;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.OnnxModel;
import hmn.runtime.torch.TorchScriptModel;
import hmn.runtime.torch.TorchvisionResNet;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.WeightsSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The activation stage as one call, for the command line and the full ingest: picks the model (a catalogue name, a
 * TorchScript file or an ONNX file) and, for a catalogue model, the engine that runs it and its weights (published,
 * a local file or seeded), runs it over an images directory into an activations directory (resuming what is there)
 * and returns what the graph records: the model, the weights' provenance, the layers and the run summary with every
 * skipped image and its reason.
 */
public final class ActivationStage {
    private static final java.util.concurrent.atomic.AtomicInteger LOADS =
            new java.util.concurrent.atomic.AtomicInteger();

    private final String model;
    private final Engine engine;
    private final List<String> layers;
    private final Path weightsFile;
    private final Long randomSeed;
    private final Path cacheDir;
    private final int batchSize;
    private final int threads;
    private final int decodeThreads;
    private final long maxPixels;
    private final boolean fastDecode;
    private final boolean progress;
    private final boolean randomFallback;

    private ActivationStage(Builder b) {
        if (b.batchSize < 1 || b.batchSize > 4096) {
            throw new BadInputException("--batch must be in 1..4096, got " + b.batchSize);
        }
        if (b.maxPixels < 1) {
            throw new BadInputException("--max-pixels must be positive, got " + b.maxPixels);
        }
        if (b.threads < 0 || b.decodeThreads < 0) {
            throw new BadInputException("--threads and --decode-threads must be >= 0 (0 = automatic)");
        }
        if (b.weightsFile != null && b.randomSeed != null) {
            throw new BadInputException("--weights and --random-weights exclude each other; choose one");
        }
        if (b.layers == null || b.layers.isEmpty()) {
            throw new BadInputException("--layers needs at least one layer name");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        this.model = b.model;
        this.engine = java.util.Objects.requireNonNull(b.engine, "engine");
        this.layers = List.copyOf(b.layers);
        this.weightsFile = b.weightsFile;
        this.randomSeed = b.randomSeed;
        this.cacheDir = b.cacheDir != null ? b.cacheDir : WeightsSource.defaultCacheDir();
        this.batchSize = b.batchSize;
        this.threads = b.threads > 0 ? b.threads : cores;
        this.decodeThreads = b.decodeThreads > 0 ? b.decodeThreads : cores;
        this.maxPixels = b.maxPixels;
        this.fastDecode = b.fastDecode;
        this.progress = b.progress;
        this.randomFallback = b.randomFallback;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String model = "resnet18";
        private Engine engine = Engine.ONNXRUNTIME;
        private List<String> layers = List.of("layer4");
        private Path weightsFile;
        private Long randomSeed;
        private Path cacheDir;
        private int batchSize = 16;
        private int threads;
        private int decodeThreads;
        private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;
        private boolean fastDecode;
        private boolean progress = true;
        private boolean randomFallback;

        /** A catalogue name (resnet18, resnet34, resnet50, resnet101, resnet152), a TorchScript file or an ONNX file ({@code .onnx}). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** What runs a catalogue model (default ONNX Runtime); TorchScript and ONNX files have their own. */
        public Builder engine(Engine engine) {
            this.engine = engine;
            return this;
        }

        public Builder layers(List<String> layers) {
            this.layers = layers;
            return this;
        }

        /** Local weights (.pth or .safetensors) instead of the published ones. */
        public Builder weightsFile(Path file) {
            this.weightsFile = file;
            return this;
        }

        /** Untrained seeded weights (recorded as such in the provenance). */
        public Builder randomSeed(Long seed) {
            this.randomSeed = seed;
            return this;
        }

        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The engine's compute threads; 0 = one per core. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Image decoding threads; 0 = one per core. */
        public Builder decodeThreads(int threads) {
            this.decodeThreads = threads;
            return this;
        }

        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        public Builder fastDecode(boolean fastDecode) {
            this.fastDecode = fastDecode;
            return this;
        }

        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /**
         * When the published weights cannot be fetched, use seeded random weights (seed 0) and report why, instead
         * of failing (the demo does; a user's ingest does not).
         */
        public Builder randomFallback(boolean fallback) {
            this.randomFallback = fallback;
            return this;
        }

        public ActivationStage build() {
            return new ActivationStage(this);
        }
    }

    /** What the stage produced: for the graph's model node and the run summary. */
    public record Result(
            String model,
            String provenance,
            Map<String, Integer> layers,
            ActivationRun.Summary summary,
            String fallbackReason) {
        /** True when the activations come from untrained random weights (chosen, or as the fallback). */
        public boolean randomWeights() {
            return provenance.startsWith("random");
        }
    }

    /** Runs the model over every file of {@code imagesDir} into {@code outDir} (created, or resumed). */
    public Result run(Path imagesDir, Path outDir) {
        return run(imagesDir, null, outDir);
    }

    /**
     * Runs the model over {@code images} (paths relative to {@code imagesDir}; null = every file there) into
     * {@code outDir} (created, or resumed).
     */
    public Result run(Path imagesDir, List<String> images, Path outDir) {
        if (!Files.isDirectory(imagesDir)) {
            throw new BadInputException("IMAGES_DIR " + imagesDir + " is not a directory; give the folder of images");
        }
        return run(ImageSource.folder(imagesDir), images != null ? images : CollectionFiles.ids(imagesDir), outDir);
    }

    /** How many models this JVM has loaded through {@link #load()} (for diagnostics and the tests). */
    public static int loads() {
        return LOADS.get();
    }

    /** Runs the model over {@code images} (ids of {@code source}) into {@code outDir} (created, or resumed). */
    public Result run(ImageSource source, List<String> images, Path outDir) {
        return run(source, images, outDir, null);
    }

    /**
     * As {@link #run(ImageSource, List, Path)} with {@code loaded}, this stage's model already loaded elsewhere in
     * this JVM with the same {@link #options()} (e.g. by the Spark driver), which is used and left open; null loads
     * it here and closes it after.
     */
    public Result run(ImageSource source, List<String> images, Path outDir, Loaded loaded) {
        if (loaded == null) {
            try (Loaded own = load()) {
                return run(source, images, outDir, own);
            }
        }
        try (ActivationStore store = ActivationStore.open(outDir, loaded.net().layers(), loaded.run())) {
            ActivationRun.Summary summary =
                    loaded.runner(batchSize, decodeThreads, progress).run(source, images, store);
            return new Result(
                    loaded.name(), loaded.net().provenance(), loaded.net().layers(), summary, loaded.fallbackReason());
        }
    }

    /**
     * The model under study, loaded, with what runs it over images: its preprocessing and decoder, and the
     * {@code run.json} its activation directories record. One per JVM can serve many runs (e.g. a Spark executor's
     * tasks); closing it frees the model.
     */
    public record Loaded(
            String name,
            ActivationModel net,
            ImageNetPreprocessing preprocessing,
            ImageDecoder decoder,
            Map<String, Object> run,
            String fallbackReason)
            implements AutoCloseable {
        /** A run of this model over images, into an {@link ActivationStore} opened with {@link #run()}. */
        public ActivationRun runner(int batchSize, int decodeThreads, boolean progress) {
            return ActivationRun.builder()
                    .model(net)
                    .preprocessing(preprocessing)
                    .decoder(decoder)
                    .batchSize(batchSize)
                    .decodeThreads(decodeThreads)
                    .progress(progress)
                    .build();
        }

        @Override
        public void close() {
            net.close();
        }
    }

    /** Loads the model (checking the layers and weights options first) and records the run it makes. */
    public Loaded load() {
        LOADS.incrementAndGet();
        boolean onnx = OnnxModel.isOnnx(model);
        boolean torchScript = !onnx && isTorchScript(model);
        ModelSpec spec = onnx || torchScript ? null : ModelCatalogue.get(model);
        if (spec != null) {
            spec.select(layers); // unknown layers fail before any weights are fetched
        } else if (weightsFile != null || randomSeed != null) {
            throw new BadInputException("--weights and --random-weights apply to catalogue models; a TorchScript or"
                    + " ONNX file carries its own weights");
        }
        ImageNetPreprocessing preprocessing = spec == null
                ? ImageNetPreprocessing.IMAGENET
                : spec.preprocessing().toTransform();
        if (torchScript || spec != null && engine == Engine.PYTORCH) {
            TorchvisionResNet.setThreads(threads);
        }
        ImageDecoder decoder = ImageDecoder.builder()
                .maxPixels(maxPixels)
                .reducedDecodeShorterSide(fastDecode ? 2 * preprocessing.resizeShorter() : 0)
                .build();
        String name = spec == null ? Path.of(model).getFileName().toString() : spec.name();
        String[] fallbackReason = new String[1];
        ActivationModel net = onnx
                ? OnnxModel.load(Path.of(model), layers, preprocessing.crop(), threads)
                : torchScript
                        ? TorchScriptModel.checked(Path.of(model), layers, preprocessing.crop())
                        : resnet(spec, fallbackReason);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", name);
        if (spec != null) {
            run.put("engine", engine.id());
        }
        run.put("weights", net.provenance());
        run.put("layers", List.copyOf(net.layers().keySet()));
        run.put("channels", List.copyOf(net.layers().values()));
        run.put("preprocessing", preprocessing.describe());
        run.put("fastDecode", fastDecode);
        if (onnx && net instanceof OnnxModel onnxModel) {
            run.put("tensors", onnxModel.tensors());
        }
        return new Loaded(name, net, preprocessing, decoder, run, fallbackReason[0]);
    }

    /** The options this stage was built with, as plain values that can be sent to another JVM. */
    public Options options() {
        return new Options(
                model,
                engine.id(),
                layers,
                weightsFile == null ? null : weightsFile.toString(),
                randomSeed,
                cacheDir.toString(),
                batchSize,
                threads,
                decodeThreads,
                maxPixels,
                fastDecode,
                randomFallback);
    }

    /** An {@link ActivationStage}'s options as serializable values ({@link #options()}, {@link Options#build()}). */
    public record Options(
            String model,
            String engine,
            List<String> layers,
            String weightsFile,
            Long randomSeed,
            String cacheDir,
            int batchSize,
            int threads,
            int decodeThreads,
            long maxPixels,
            boolean fastDecode,
            boolean randomFallback)
            implements java.io.Serializable {
        public Options {
            layers = List.copyOf(layers);
        }

        /** The stage these options describe, without progress bars (for workers). */
        public ActivationStage build() {
            return ActivationStage.builder()
                    .model(model)
                    .engine(Engine.parse(engine))
                    .layers(layers)
                    .weightsFile(weightsFile == null ? null : Path.of(weightsFile))
                    .randomSeed(randomSeed)
                    .cacheDir(Path.of(cacheDir))
                    .batchSize(batchSize)
                    .threads(threads)
                    .decodeThreads(decodeThreads)
                    .maxPixels(maxPixels)
                    .fastDecode(fastDecode)
                    .randomFallback(randomFallback)
                    .progress(false)
                    .build();
        }
    }

    private ActivationModel resnet(ModelSpec spec, String[] fallbackReason) {
        WeightsSource.Loaded loaded = randomSeed != null
                ? WeightsSource.random(ResNetArchitecture.of(spec), randomSeed)
                : weightsFile != null ? WeightsSource.file(weightsFile) : published(spec, fallbackReason);
        return engine == Engine.ONNXRUNTIME
                ? OnnxModel.resnet(spec, loaded.tensors(), layers, loaded.provenance(), threads)
                : TorchvisionResNet.checked(
                        spec,
                        loaded.tensors(),
                        layers,
                        loaded.provenance(),
                        threads,
                        note -> System.err.println("hmn: note: " + note));
    }

    private WeightsSource.Loaded published(ModelSpec spec, String[] fallbackReason) {
        try {
            return WeightsSource.builder()
                    .cacheDir(cacheDir)
                    .progress(progress)
                    .build()
                    .published(spec);
        } catch (BadInputException e) {
            if (!randomFallback) {
                throw e;
            }
            fallbackReason[0] = e.getMessage();
            return WeightsSource.random(ResNetArchitecture.of(spec), 0);
        }
    }

    /**
     * The names {@code layers} of {@code model} are stored under in the activations directory (and the graph): ONNX
     * tensor names are made file- and graph-safe ({@link OnnxModel#layerName}); other models' names are kept.
     */
    public static List<String> storedLayers(String model, List<String> layers) {
        return OnnxModel.isOnnx(model)
                ? layers.stream().map(OnnxModel::layerName).toList()
                : layers;
    }

    static boolean isTorchScript(String model) {
        String lower = model.toLowerCase(Locale.ROOT);
        return lower.endsWith(".pt")
                || lower.endsWith(".pts")
                || lower.endsWith(".torchscript")
                || model.contains("/")
                || Files.isRegularFile(Path.of(model));
    }
}
