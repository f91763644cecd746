package hmn.pipeline;

import hmn.activations.ActivationRun;
import hmn.activations.ActivationStore;
import hmn.activations.ModelCatalogue;
import hmn.activations.ModelSpec;
import hmn.activations.ResNetArchitecture;
import hmn.activations.TorchvisionResNet;
import hmn.activations.WeightsSource;
import hmn.cli.BadInputException;
import hmn.images.ImageDecoder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the model under study on the collection and streams each layer's activations into the work directory
 * ({@code images.txt} + {@code <layer>.npy}); a killed run resumes where it stopped.
 *
 * @param model a catalogue name (resnet18, resnet34, resnet50)
 * @param layers the layers to expose (e.g. layer1..layer4)
 * @param weights a local weights file, or null to fetch the published weights into the cache
 * @param randomSeed seeded random weights (explicit choice, recorded as such), or null
 * @param allowRandomFallback when the published weights cannot be fetched, use seeded random weights and say so
 *     (the demo does; a user's ingest does not)
 */
public record ActivationStage(String model, List<String> layers, Path weights, Long randomSeed,
        boolean allowRandomFallback, boolean progress) {

    /** What the stage did: the weights' provenance and the run's counts. */
    public record Outcome(String provenance, boolean randomWeights, String fallbackReason, ActivationRun.Summary run) {}

    public Outcome run(Path imagesDir, List<String> images, Path outDir) {
        ModelSpec spec = ModelCatalogue.get(model);
        spec.select(layers); // unknown layers fail before any weights are fetched
        ResNetArchitecture arch = ResNetArchitecture.of(spec);
        String fallbackReason = null;
        WeightsSource.Loaded loaded;
        if (randomSeed != null) {
            loaded = WeightsSource.random(arch, randomSeed);
        } else if (weights != null) {
            loaded = WeightsSource.file(weights);
        } else {
            try {
                loaded = WeightsSource.builder().cacheDir(WeightsSource.defaultCacheDir()).progress(progress).build()
                        .published(spec);
            } catch (BadInputException e) {
                if (!allowRandomFallback) {
                    throw e;
                }
                fallbackReason = e.getMessage();
                loaded = WeightsSource.random(arch, 0);
            }
        }
        boolean random = randomSeed != null || fallbackReason != null;
        int cores = Runtime.getRuntime().availableProcessors();
        TorchvisionResNet.setThreads(cores);
        try (TorchvisionResNet net = TorchvisionResNet.create(spec, loaded.tensors(), layers, loaded.provenance())) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("model", spec.name());
            run.put("weights", net.provenance());
            run.put("randomWeights", random);
            run.put("layers", List.copyOf(net.layers().keySet()));
            run.put("channels", List.copyOf(net.layers().values()));
            run.put("preprocessing", spec.preprocessing());
            ActivationRun.Summary summary;
            try (ActivationStore store = ActivationStore.open(outDir, net.layers(), run)) {
                summary = ActivationRun.builder()
                        .model(net)
                        .preprocessing(spec.preprocessing().toTransform())
                        .decoder(ImageDecoder.defaults())
                        .decodeThreads(Math.max(1, cores / 2))
                        .progress(progress)
                        .build()
                        .run(imagesDir, images, store);
            }
            return new Outcome(net.provenance(), random, fallbackReason, summary);
        }
    }
}
