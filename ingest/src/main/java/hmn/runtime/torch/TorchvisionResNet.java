package hmn.runtime.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import hmn.io.FloatMatrix;
import hmn.runtime.ActivationModel;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.OnnxModel;
import hmn.runtime.weights.FoldedConv;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * torchvision's ResNet (18, 34, 50 ...) run through DJL's PyTorch engine ({@code --engine pytorch}), op for op as
 * torchvision's forward, with each batch-norm folded into the convolution before it ({@link FoldedConv}). Tensors
 * flow in contiguous NCHW or in channels-last memory format (NHWC strides behind NCHW shapes), which PyTorch's CPU
 * convolutions run fastest but which gave wrong numbers on some AVX-512 CPUs: {@link #checked} chooses the format
 * per CPU by checking it against ONNX Runtime. Stage outputs {@code layer1..layer4} are the blocks' outputs after their final ReLU;
 * {@code avgpool} is the pooled {@code layer4}; {@code fc} the logits.
 */
public final class TorchvisionResNet implements ActivationModel {
    private final ModelSpec spec;
    private final ResNetArchitecture arch;
    private final Map<String, Integer> layers;
    private final String provenance;
    private final boolean channelsLast;
    private final NDManager manager;
    private final Conv stem;
    private final List<List<Block>> stages = new ArrayList<>();
    private final NDArray fcWeight;
    private final NDArray fcBias;
    private final int lastStage;

    private record Conv(NDArray weight, NDArray bias, int stride, int pad) {}

    private record Block(Conv[] convs, Conv downsample) {}

    private TorchvisionResNet(
            ModelSpec spec,
            Map<String, Tensor> weights,
            List<String> requestedLayers,
            String provenance,
            boolean channelsLast) {
        this.spec = spec;
        this.arch = ResNetArchitecture.of(spec);
        arch.validate(weights, provenance);
        this.layers = spec.select(requestedLayers);
        this.provenance = provenance;
        this.channelsLast = channelsLast;
        this.manager = NDManager.newBaseManager();
        this.stem = conv(weights, "conv1", "bn1", 2, 3);
        int last = 0;
        for (String layer : layers.keySet()) {
            last = Math.max(
                    last,
                    switch (layer) {
                        case "layer1" -> 1;
                        case "layer2" -> 2;
                        case "layer3" -> 3;
                        default -> 4;
                    });
        }
        this.lastStage = last;
        for (int s = 0; s < 4; s++) {
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < arch.blocks()[s]; b++) {
                String p = "layer" + (s + 1) + "." + b + ".";
                int stride = b == 0 && s > 0 ? 2 : 1;
                Conv[] convs = arch.bottleneck()
                        ? new Conv[] {
                            conv(weights, p + "conv1", p + "bn1", 1, 0),
                            conv(weights, p + "conv2", p + "bn2", stride, 1),
                            conv(weights, p + "conv3", p + "bn3", 1, 0)
                        }
                        : new Conv[] {
                            conv(weights, p + "conv1", p + "bn1", stride, 1),
                            conv(weights, p + "conv2", p + "bn2", 1, 1)
                        };
                Conv down = weights.containsKey(p + "downsample.0.weight")
                        ? conv(weights, p + "downsample.0", p + "downsample.1", stride, 0)
                        : null;
                blocks.add(new Block(convs, down));
            }
            stages.add(blocks);
        }
        Tensor fw = weights.get("fc.weight");
        this.fcWeight = manager.create(FloatBuffer.wrap(fw.data()), new Shape(fw.shape()));
        this.fcBias = manager.create(weights.get("fc.bias").data());
    }

    /**
     * Builds the model on the given state dict (torchvision names), in contiguous NCHW format; {@code provenance} is
     * recorded as given. Unchecked: use {@link #checked} for numbers a user will see.
     */
    public static TorchvisionResNet create(
            ModelSpec spec, Map<String, Tensor> weights, List<String> layers, String provenance) {
        return new TorchvisionResNet(spec, weights, layers, provenance, false);
    }

    /**
     * The model as hmn runs it on {@code --engine pytorch}: channels-last (fastest) where it agrees with ONNX Runtime
     * on the same weights and batch on this CPU, else contiguous where that agrees, else an error
     * ({@link CrossCheckedModel}). ONNX Runtime, with {@code referenceThreads}, is built on the first batch.
     */
    public static CrossCheckedModel checked(
            ModelSpec spec,
            Map<String, Tensor> weights,
            List<String> layers,
            String provenance,
            int referenceThreads,
            Consumer<String> notes) {
        List<CrossCheckedModel.Candidate> candidates = new ArrayList<>();
        try {
            candidates.add(new CrossCheckedModel.Candidate(
                    "channels-last", new TorchvisionResNet(spec, weights, layers, provenance, true)));
            candidates.add(new CrossCheckedModel.Candidate(
                    "contiguous", new TorchvisionResNet(spec, weights, layers, provenance, false)));
        } catch (RuntimeException e) {
            candidates.forEach(c -> c.model().close());
            throw e;
        }
        CrossCheckedModel.Check check =
                CrossCheckedModel.against(() -> OnnxModel.resnet(spec, weights, layers, provenance, referenceThreads));
        return new CrossCheckedModel(candidates, check, notes);
    }

    /** As {@link #create}, choosing the memory format (contiguous NCHW when {@code channelsLast} is false). */
    public static TorchvisionResNet create(
            ModelSpec spec, Map<String, Tensor> weights, List<String> layers, String provenance, boolean channelsLast) {
        return new TorchvisionResNet(spec, weights, layers, provenance, channelsLast);
    }

    /** Loads PyTorch's native library if needed and sets its compute threads (a process-wide setting). */
    public static void setThreads(int threads) {
        ai.djl.engine.Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }

    /** Turns a weight and its batch norm into one convolution with bias. */
    private Conv conv(Map<String, Tensor> w, String convName, String bnName, int stride, int pad) {
        FoldedConv f = FoldedConv.of(w, convName, bnName);
        int k = f.kernel();
        NDArray wArr = channelsLast
                ? manager.create(FloatBuffer.wrap(f.channelsLastWeight()), new Shape(f.out(), k, k, f.in()))
                        .transpose(0, 3, 1, 2)
                : manager.create(FloatBuffer.wrap(f.weight()), new Shape(f.out(), f.in(), k, k));
        return new Conv(wArr, manager.create(f.bias()), stride, pad);
    }

    @Override
    public Map<String, Integer> layers() {
        return layers;
    }

    @Override
    public String provenance() {
        return provenance;
    }

    @Override
    public int[] inputShape() {
        int crop = spec.preprocessing().crop();
        return new int[] {3, crop, crop};
    }

    @Override
    public boolean channelsLastInput() {
        return channelsLast;
    }

    @Override
    public List<String> availableLayers() {
        return List.copyOf(spec.layers().keySet());
    }

    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Map<String, FloatMatrix> activations(float[] input, int count) {
        JniUtils.setGradMode(false); // per thread in PyTorch
        int[] shape = inputShape();
        Map<String, FloatMatrix> out = new LinkedHashMap<>();
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = channelsLast
                    ? batch.create(
                                    FloatBuffer.wrap(input, 0, count * shape[0] * shape[1] * shape[2]),
                                    new Shape(count, shape[1], shape[2], shape[0]))
                            .transpose(0, 3, 1, 2)
                    : batch.create(
                            FloatBuffer.wrap(input, 0, count * shape[0] * shape[1] * shape[2]),
                            new Shape(count, shape[0], shape[1], shape[2]));
            x = relu(apply(stem, x));
            x = x.getNDArrayInternal().maxPool(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
            NDArray pooled = null;
            for (int s = 0; s < lastStage; s++) {
                for (Block block : stages.get(s)) {
                    x = block(block, x);
                }
                String name = "layer" + (s + 1);
                if (layers.containsKey(name)
                        || (s == 3 && (layers.containsKey("avgpool") || layers.containsKey("fc")))) {
                    pooled = spatialMean(x);
                    if (layers.containsKey(name)) {
                        out.put(name, matrix(pooled, count));
                    }
                }
            }
            if (layers.containsKey("avgpool")) {
                out.put("avgpool", matrix(pooled, count));
            }
            if (layers.containsKey("fc")) {
                NDArray logits = pooled.getNDArrayInternal()
                        .linear(pooled, fcWeight, fcBias)
                        .get(0);
                out.put("fc", matrix(logits, count));
            }
        }
        Map<String, FloatMatrix> ordered = new LinkedHashMap<>();
        for (String layer : layers.keySet()) {
            ordered.put(layer, out.get(layer));
        }
        return ordered;
    }

    private NDArray block(Block block, NDArray x) {
        NDArray y = x;
        Conv[] convs = block.convs();
        for (int i = 0; i < convs.length - 1; i++) {
            y = relu(apply(convs[i], y));
        }
        y = apply(convs[convs.length - 1], y);
        NDArray identity = block.downsample() == null ? x : apply(block.downsample(), x);
        return relu(y.addi(identity));
    }

    private static NDArray apply(Conv c, NDArray x) {
        return x.getNDArrayInternal()
                .convolution(
                        x,
                        c.weight(),
                        c.bias(),
                        new Shape(c.stride(), c.stride()),
                        new Shape(c.pad(), c.pad()),
                        new Shape(1, 1),
                        1)
                .get(0);
    }

    private static NDArray relu(NDArray x) {
        return x.getNDArrayInternal().relu();
    }

    private NDArray spatialMean(NDArray x) {
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        if (channelsLast) {
            return x.transpose(0, 2, 3, 1).reshape(n, -1, c).mean(new int[] {1});
        }
        return x.reshape(n, c, -1).mean(new int[] {2});
    }

    private static FloatMatrix matrix(NDArray a, int count) {
        float[] values = a.toFloatArray();
        return new FloatMatrix(count, values.length / count, values);
    }

    @Override
    public void close() {
        manager.close();
    }
}
