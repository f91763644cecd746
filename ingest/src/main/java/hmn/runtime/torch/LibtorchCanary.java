package hmn.runtime.torch;

import hmn.io.FloatMatrix;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.OnnxModel;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.SeededWeights;
import hmn.runtime.weights.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The check for models hmn cannot rebuild on another engine (TorchScript files): libtorch's convolutions are proven
 * on this CPU at the batch size in use by a seeded ResNet18, run by libtorch in contiguous format (the format a
 * TorchScript model's input comes in) and by ONNX Runtime on the same seeded input. It proves the kernels that
 * ResNet-like networks use, not every operator a user's model may have. Verdicts are kept per batch size for the
 * process.
 */
final class LibtorchCanary implements CrossCheckedModel.Check {
    private static final Map<Integer, Optional<String>> VERDICTS = new ConcurrentHashMap<>();
    private static final List<String> LAYERS = List.of("layer1", "layer2", "layer3", "layer4");

    @Override
    public String disagreement(float[] chwInput, int count, Map<String, FloatMatrix> result) {
        return VERDICTS.computeIfAbsent(count, LibtorchCanary::run).orElse(null);
    }

    private static Optional<String> run(int count) {
        ModelSpec spec = ModelCatalogue.get("resnet18");
        Map<String, Tensor> weights =
                SeededWeights.generate(ResNetArchitecture.of(spec).parameterShapes(), 7);
        int crop = spec.preprocessing().crop();
        float[] input = new float[count * 3 * crop * crop];
        SplittableRandom random = new SplittableRandom(count);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        try (TorchvisionResNet torch = TorchvisionResNet.create(spec, weights, LAYERS, "canary");
                OnnxModel onnx = OnnxModel.resnet(spec, weights, LAYERS, "canary", 0)) {
            String wrong = CrossCheckedModel.compare(
                    torch.activations(input, count), onnx.activations(input, count), "ONNX Runtime");
            return Optional.ofNullable(wrong)
                    .map(w -> "libtorch's own seeded ResNet18 on a batch of " + count + ": " + w);
        }
    }
}
