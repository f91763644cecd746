package hmn.bench;

import hmn.core.BadInputException;
import hmn.images.ImageNetPreprocessing;
import hmn.runtime.ActivationModel;
import hmn.runtime.Engine;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.OnnxModel;
import hmn.runtime.torch.CrossCheckedModel;
import hmn.runtime.torch.TorchvisionResNet;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.WeightsSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn bench activations}: the model's forward alone (random weights, random inputs, the requested layers
 * pooled), images per second after warm-up, on each engine, and as a share of the bound that the machine's measured
 * matrix-multiply rate sets ({@link MatmulProbe}); the peer script {@code bench/pytorch_resnet.py} measures PyTorch
 * eager the same way and {@code bench/activations.sh} runs both side by side. {@code --photos N} measures the camera-photo
 * case ({@link PhotoBench}), {@code --memory-images N} the memory over a long run ({@link MemoryBench}).
 */
@Command(
        name = "activations",
        mixinStandardHelpOptions = true,
        description = "Measures the activation model's forward pass (images/s) on random weights and inputs.")
public final class ActivationsBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private double boundImagesPerSecond;

    @Option(
            names = "--model",
            defaultValue = "resnet18",
            description = "Catalogue model (default: ${DEFAULT-VALUE}) or an .onnx file (its --layers as names of its"
                    + " outputs or tensors).")
    String model;

    @Option(
            names = "--layers",
            defaultValue = "layer1,layer2,layer3,layer4",
            split = ",",
            description = "Layers pooled (default: ${DEFAULT-VALUE}).")
    List<String> layers;

    @Option(names = "--batch", defaultValue = "16", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "0", description = "Compute threads (default: 0 = one per core).")
    int threads;

    @Option(
            names = "--seconds",
            defaultValue = "20",
            description = "Measured time per memory format (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--format",
            defaultValue = "both",
            description = "PyTorch engine's memory format: channels-last, contiguous or both"
                    + " (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--engine",
            defaultValue = "both",
            description = "onnxruntime, pytorch or both (default: ${DEFAULT-VALUE}); the photo and memory cases use"
                    + " onnxruntime unless this is pytorch.")
    String engine;

    @Option(
            names = "--matmul-size",
            defaultValue = "2048",
            paramLabel = "N",
            description = "Size of the square float32 matrix product that measures the machine's multiply rate, the"
                    + " bound the forward is compared with; 0 skips it (default: ${DEFAULT-VALUE}).")
    int matmulSize;

    @Option(
            names = "--photos",
            defaultValue = "0",
            paramLabel = "N",
            description = "The camera-photo case instead: generate N JPEGs of --photo-size and report each part's"
                    + " cost per image, end-to-end images/s with each part's share, full and reduced decode, and the"
                    + " reduced decode's effect on the activations.")
    int photos;

    @Option(
            names = "--photo-size",
            defaultValue = "3000x2000",
            paramLabel = "WxH",
            description = "Size of the generated photos (default: ${DEFAULT-VALUE}).")
    String photoSize;

    @Option(
            names = "--memory-images",
            defaultValue = "0",
            paramLabel = "N",
            description = "The memory case instead: run the activation stage over N images (links to 64 generated"
                    + " JPEGs of --image-size) and print the resident size and the heap after GC every"
                    + " --memory-every images.")
    int memoryImages;

    @Option(
            names = "--memory-every",
            defaultValue = "1000",
            paramLabel = "K",
            description = "Images between memory samples (default: ${DEFAULT-VALUE}).")
    int memoryEvery;

    @Option(
            names = "--image-size",
            defaultValue = "640x480",
            paramLabel = "WxH",
            description = "Size of the memory case's images (default: ${DEFAULT-VALUE}).")
    String imageSize;

    @Option(
            names = "--decode-threads",
            defaultValue = "0",
            description = "Decoding threads of the photo and memory cases (default: 0 = one per core).")
    int decodeThreads;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (batch < 1 || seconds <= 0) {
            throw new BadInputException("--batch and --seconds must be positive");
        }
        if (photos < 0 || memoryImages < 0 || memoryEvery < 1 || decodeThreads < 0) {
            throw new BadInputException(
                    "--photos and --memory-images must be >= 0, --memory-every >= 1," + " --decode-threads >= 0");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<Engine> engines =
                "both".equals(engine) ? List.of(Engine.ONNXRUNTIME, Engine.PYTORCH) : List.of(Engine.parse(engine));
        boolean pipeline = photos > 0 || memoryImages > 0;
        // the photo and memory cases run one engine: ONNX Runtime unless only PyTorch is asked for
        Engine pipelineEngine = engines.contains(Engine.ONNXRUNTIME) ? Engine.ONNXRUNTIME : Engine.PYTORCH;
        boolean torch = pipeline ? pipelineEngine == Engine.PYTORCH : engines.contains(Engine.PYTORCH);
        if (torch && !OnnxModel.isOnnx(model)) {
            TorchvisionResNet.setThreads(threads > 0 ? threads : cores);
        }
        if (pipeline) {
            return pipelineCase(w, cores, pipelineEngine);
        }
        ModelSpec modelSpec = OnnxModel.isOnnx(model) ? null : ModelCatalogue.get(model);
        WeightsSource.Loaded weights =
                modelSpec == null ? null : WeightsSource.random(ResNetArchitecture.of(modelSpec), 1);
        int computeThreads = threads > 0 ? threads : cores;
        if (modelSpec != null && matmulSize > 0) {
            double gflops = MatmulProbe.gflops(matmulSize, computeThreads, Math.min(seconds, 5));
            double perImage = 2e-9
                    * ResNetArchitecture.of(modelSpec)
                            .multiplyAdds(modelSpec.preprocessing().crop());
            boundImagesPerSecond = gflops / perImage;
            w.printf(
                    Locale.ROOT,
                    "matrix-multiply bound: float32 %dx%d products (ONNX Runtime MatMul), %d threads:"
                            + " %.1f GFLOP/s; %s needs %.2f GFLOP per image, so at most %.1f images/s%n",
                    matmulSize,
                    matmulSize,
                    computeThreads,
                    gflops,
                    model,
                    perImage,
                    boundImagesPerSecond);
        }
        float[] input = new float[batch * 3 * 224 * 224];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        List<Boolean> formats =
                switch (format) {
                    case "channels-last" -> List.of(true);
                    case "contiguous" -> List.of(false);
                    case "both" -> List.of(true, false);
                    default -> throw new BadInputException(
                            "--format must be channels-last, contiguous or both, got " + format);
                };
        if (OnnxModel.isOnnx(model)) {
            try (OnnxModel net = OnnxModel.load(Path.of(model), layers, 224, threads)) {
                measure(w, net, input, "hmn-onnxruntime", "nchw", cores);
            }
            return 0;
        }
        if (engines.contains(Engine.ONNXRUNTIME)) {
            try (OnnxModel net =
                    OnnxModel.resnet(modelSpec, weights.tensors(), layers, weights.provenance(), threads)) {
                measure(w, net, input, "hmn-onnxruntime", "nchw", cores);
            }
        }
        for (boolean channelsLast : engines.contains(Engine.PYTORCH) ? formats : List.<Boolean>of()) {
            try (TorchvisionResNet net = TorchvisionResNet.create(
                    modelSpec, weights.tensors(), layers, weights.provenance(), channelsLast)) {
                measure(w, net, input, "hmn-djl", channelsLast ? "channels-last" : "contiguous", cores);
            }
        }
        if (engines.contains(Engine.PYTORCH)) {
            // what ingest runs: the fastest format that agrees with ONNX Runtime on this CPU
            try (CrossCheckedModel net = TorchvisionResNet.checked(
                    modelSpec,
                    weights.tensors(),
                    layers,
                    weights.provenance(),
                    threads,
                    note -> w.println("note: " + note))) {
                net.activations(input, batch);
                measure(w, net, input, "hmn-djl", "checked:" + net.format(), cores);
            }
        }
        return 0;
    }

    private void measure(
            PrintWriter w, ActivationModel net, float[] input, String engineName, String layout, int cores) {
        for (int i = 0; i < 3; i++) {
            net.activations(input, batch); // warm-up
        }
        long images = 0;
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            net.activations(input, batch);
            images += batch;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        double rate = images / elapsed;
        String share = boundImagesPerSecond > 0
                ? String.format(Locale.ROOT, "; %.0f%% of the matrix-multiply bound", 100 * rate / boundImagesPerSecond)
                : "";
        w.printf(
                Locale.ROOT,
                "%s %s %s batch=%d threads=%d: %.1f images/s (%d images in %.1f s;"
                        + " %.2f images per CPU-second%s)%n",
                engineName,
                model,
                layout,
                batch,
                threads > 0 ? threads : cores,
                rate,
                images,
                elapsed,
                images / cpu,
                share);
    }

    /** The photo or memory case: the activation stage on generated JPEGs, with the model as hmn activations runs it. */
    private int pipelineCase(PrintWriter w, int cores, Engine pipelineEngine) throws Exception {
        int decoders = decodeThreads > 0 ? decodeThreads : cores;
        ImageNetPreprocessing pre = ImageNetPreprocessing.IMAGENET;
        Path tmp = Files.createTempDirectory("hmn-bench-images");
        try (ActivationModel net = benchModel(pre, pipelineEngine)) {
            w.printf(
                    Locale.ROOT,
                    "model %s (%s), layers %s, batch %d, %d compute thread(s), %d core(s)%n",
                    model,
                    net.provenance(),
                    net.layers().keySet(),
                    batch,
                    threads > 0 ? threads : cores,
                    cores);
            if (photos > 0) {
                int[] size = size(photoSize, "--photo-size");
                List<String> names = BenchImages.write(tmp.resolve("photos"), photos, size[0], size[1], 1);
                new PhotoBench(net, pre, batch, decoders, w).run(tmp.resolve("photos"), names);
            }
            if (memoryImages > 0) {
                int[] size = size(imageSize, "--image-size");
                List<String> distinct =
                        BenchImages.write(tmp.resolve("distinct"), Math.min(64, memoryImages), size[0], size[1], 2);
                List<String> names =
                        MemoryBench.link(tmp.resolve("distinct"), distinct, tmp.resolve("links"), memoryImages);
                new MemoryBench(net, pre, batch, decoders, memoryEvery, w).run(tmp.resolve("links"), names);
            }
        } finally {
            BenchImages.delete(tmp);
        }
        return 0;
    }

    private ActivationModel benchModel(ImageNetPreprocessing pre, Engine pipelineEngine) {
        if (OnnxModel.isOnnx(model)) {
            return OnnxModel.load(Path.of(model), layers, pre.crop(), threads);
        }
        ModelSpec modelSpec = ModelCatalogue.get(model);
        WeightsSource.Loaded weights = WeightsSource.random(ResNetArchitecture.of(modelSpec), 1);
        return pipelineEngine == Engine.PYTORCH
                ? TorchvisionResNet.checked(
                        modelSpec,
                        weights.tensors(),
                        layers,
                        weights.provenance(),
                        threads,
                        note -> System.err.println("note: " + note))
                : OnnxModel.resnet(modelSpec, weights.tensors(), layers, weights.provenance(), threads);
    }

    private static int[] size(String text, String option) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        try {
            int[] size = {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
            if (parts.length == 2 && size[0] >= 256 && size[1] >= 256) {
                return size;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new BadInputException(option + " must be WIDTHxHEIGHT with both at least 256, got '" + text + "'");
    }

    /** CPU time of this process (all threads), which shared-machine load disturbs less than wall time. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
