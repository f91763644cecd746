package hmn.bench;

import hmn.io.FloatMatrix;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.GemmPeak;
import hmn.runtime.onnx.OnnxModel;
import hmn.runtime.onnx.SplitResNet;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import hmn.runtime.weights.WeightsSource;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn bench ablation-forward}: what {@code hmn validate} costs for a stage before layer4, where each ablated
 * set reruns the network after the stage. Times, on the same batches, the whole forward, the head (up to the stage's
 * feature map, once per image) and the tail (the rest, once per ablated set and image), gives each as GFLOP/s and as
 * a share of this machine's matrix-multiply rate under ONNX Runtime, and from them the time per cluster and for the
 * paper-sized run (R random sets, M images, a group and a difference set per cluster).
 */
@Command(
        name = "ablation-forward",
        mixinStandardHelpOptions = true,
        description = "Times the ablated forward of hmn validate for a stage before layer4 against a whole forward.")
public final class ForwardAblationBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "resnet18", description = "Catalogue model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(
            names = "--layer",
            defaultValue = "layer3",
            description = "The ablated stage, layer1..layer3 (default: ${DEFAULT-VALUE}).")
    String layer;

    @Option(names = "--batch", defaultValue = "32", description = "Images per run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--seconds",
            defaultValue = "10",
            description = "Seconds each measurement runs (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads, 0 = one per core.")
    int threads;

    @Option(names = "--random-sets", defaultValue = "20", description = "R (default: ${DEFAULT-VALUE}).")
    int randomSets;

    @Option(names = "--images-per-cluster", defaultValue = "64", description = "M (default: ${DEFAULT-VALUE}).")
    int imagesPerCluster;

    @Option(
            names = "--clusters",
            defaultValue = "1250",
            description = "Clusters of the paper-sized run (levels 2 and up of 25,000 images; default: "
                    + "${DEFAULT-VALUE}).")
    int clusters;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelSpec modelSpec = ModelCatalogue.get(model);
        ResNetArchitecture arch = ResNetArchitecture.of(modelSpec);
        Map<String, Tensor> weights = WeightsSource.random(arch, 1).tensors();
        int crop = modelSpec.preprocessing().crop();
        int stage = Integer.parseInt(layer.substring(5));
        long[] parts = arch.multiplyAddsByPart(crop);
        long whole = Arrays.stream(parts).sum();
        long head = 0;
        for (int p = 0; p <= stage; p++) {
            head += parts[p];
        }
        long tail = whole - head;

        SplittableRandom random = new SplittableRandom(2);
        float[] images = new float[batch * 3 * crop * crop];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        double peakBefore = GemmPeak.gflops(2048, threads, seconds);
        double wholeRate;
        try (OnnxModel net = OnnxModel.resnet(modelSpec, weights, List.of("fc"), "random", threads)) {
            wholeRate = imagesPerSecond(() -> {
                Map<String, FloatMatrix> logits = net.activations(images, batch);
                return logits.size();
            });
        }
        double headRate;
        double tailRate;
        try (SplitResNet net = SplitResNet.of(modelSpec, weights, layer, threads)) {
            float[] features = net.features(images, batch);
            headRate = imagesPerSecond(() -> net.features(images, batch).length);
            float[] keep = new float[batch * net.channels()];
            float[] fill = new float[keep.length];
            Arrays.fill(keep, 1f);
            for (int i = 0; i < batch; i++) { // a tenth of the channels ablated, as a group would be
                for (int c = 0; c < net.channels(); c += 10) {
                    keep[i * net.channels() + c] = 0;
                    fill[i * net.channels() + c] = 0.5f;
                }
            }
            tailRate = imagesPerSecond(() -> net.logits(features, keep, fill, batch).length);
        }
        // the best of two measurements, before and after, so that a moment of load elsewhere does not lower the bound
        double peak = Math.max(peakBefore, GemmPeak.gflops(2048, threads, seconds));
        out.printf(
                Locale.ROOT,
                "%s, %s ablated, batches of %d, %d threads (0 = one per core):%n"
                        + "  matrix multiply (2048^3 floats, ONNX Runtime): %.1f GFLOP/s (best of before and after)%n",
                model,
                layer,
                batch,
                threads,
                peak);
        row(out, "whole forward", whole, wholeRate, peak);
        row(out, "head (to " + layer + ")", head, headRate, peak);
        row(out, "tail (after " + layer + ")", tail, tailRate, peak);
        out.printf(
                Locale.ROOT,
                "  an ablated forward (the tail) costs %.2f of a whole forward in time, %.2f in multiply-adds%n",
                wholeRate / tailRate,
                tail / (double) whole);
        // per cluster: a group and a difference set, each with R random sets on M images and itself on M outside
        double tailImages = 2.0 * (randomSets + 1) * imagesPerCluster + 2.0 * imagesPerCluster + 2 * imagesPerCluster;
        double headImages = 2.0 * imagesPerCluster; // at most: images kept from cluster to cluster cost nothing
        double perCluster = tailImages / tailRate + headImages / headRate;
        out.printf(
                Locale.ROOT,
                "  hmn validate --layers %s, R = %d, M = %d: %.0f tail and at most %.0f head images a cluster, %.1f s;"
                        + " %,d clusters: %.1f h (rerunning the whole network instead: %.1f h)%n",
                layer,
                randomSets,
                imagesPerCluster,
                tailImages,
                headImages,
                perCluster,
                clusters,
                perCluster * clusters / 3600,
                (tailImages + headImages) / wholeRate * clusters / 3600);
        out.flush();
        return 0;
    }

    private static void row(PrintWriter out, String what, long multiplyAdds, double imagesPerSecond, double peak) {
        double gflops = 2.0 * multiplyAdds * imagesPerSecond / 1e9;
        out.printf(
                Locale.ROOT,
                "  %-20s %6.2f GMAC/image %8.1f images/s %7.1f GFLOP/s  %3.0f%% of the matrix-multiply rate%n",
                what,
                multiplyAdds / 1e9,
                imagesPerSecond,
                gflops,
                100 * gflops / peak);
    }

    private double imagesPerSecond(IntSupplier run) {
        run.getAsInt(); // warm-up
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int runs = 0;
        do {
            run.getAsInt();
            runs++;
        } while (System.nanoTime() < deadline);
        return runs * (double) batch / ((System.nanoTime() - start) / 1e9);
    }
}
