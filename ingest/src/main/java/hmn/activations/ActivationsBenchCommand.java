package hmn.activations;

import hmn.cli.BadInputException;
import java.io.PrintWriter;
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
 * pooled), images per second after warm-up; the peer script {@code bench/pytorch_resnet.py} measures PyTorch eager
 * the same way and {@code bench/activations.sh} runs both side by side.
 */
@Command(name = "activations", mixinStandardHelpOptions = true,
        description = "Measures the activation model's forward pass (images/s) on random weights and inputs.")
public final class ActivationsBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "resnet18", description = "Catalogue model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--layers", defaultValue = "layer1,layer2,layer3,layer4", split = ",",
            description = "Layers pooled (default: ${DEFAULT-VALUE}).")
    List<String> layers;

    @Option(names = "--batch", defaultValue = "16", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "0", description = "PyTorch threads (default: 0 = one per core).")
    int threads;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured time per memory format (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--format", defaultValue = "both", description = "channels-last, contiguous or both (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (batch < 1 || seconds <= 0) {
            throw new BadInputException("--batch and --seconds must be positive");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        TorchvisionResNet.setThreads(threads > 0 ? threads : cores);
        ModelSpec modelSpec = ModelCatalogue.get(model);
        WeightsSource.Loaded weights = WeightsSource.random(ResNetArchitecture.of(modelSpec), 1);
        float[] input = new float[batch * 3 * 224 * 224];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        List<Boolean> formats = switch (format) {
            case "channels-last" -> List.of(true);
            case "contiguous" -> List.of(false);
            case "both" -> List.of(true, false);
            default -> throw new BadInputException("--format must be channels-last, contiguous or both, got " + format);
        };
        for (boolean channelsLast : formats) {
            try (TorchvisionResNet net = TorchvisionResNet.create(modelSpec, weights.tensors(), layers,
                    weights.provenance(), channelsLast)) {
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
                w.printf(Locale.ROOT, "hmn-djl %s %s batch=%d threads=%d: %.1f images/s (%d images in %.1f s;"
                        + " %.2f images per CPU-second)%n", model, channelsLast ? "channels-last" : "contiguous", batch,
                        threads > 0 ? threads : cores, images / elapsed, images, elapsed, images / cpu);
            }
        }
        return 0;
    }

    /** CPU time of this process (all threads), which shared-machine load disturbs less than wall time. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
