package hmn.runtime.onnx;

import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.OnnxGraphBuilder.Attribute;
import hmn.runtime.weights.FoldedConv;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * torchvision's ResNet as an ONNX graph built in Java from a state dict, for ONNX Runtime ({@code --engine
 * onnxruntime}, the default): op for op as torchvision's forward, each batch norm folded into its convolution
 * ({@link FoldedConv}). The graph's input is {@code input} (N x 3 x crop x crop); each requested layer is an output
 * of the same name holding N x C values: a stage's channel means ({@code layer1..layer4}, and {@code avgpool}, which
 * is {@code layer4}'s), or the logits ({@code fc}). Stages after the last requested one are left out.
 */
final class ResNetOnnx {
    static final String INPUT = "input";
    static final String FEATURES = "features";
    static final String KEEP = "keep";
    static final String FILL = "fill";
    private static final String BATCH = "N";

    private ResNetOnnx() {}

    /** The serialised model computing {@code layers} (names of {@code spec}'s layers) from {@code weights}. */
    static byte[] build(ModelSpec spec, Map<String, Tensor> weights, Set<String> layers) {
        ResNetArchitecture arch = ResNetArchitecture.of(spec);
        int crop = spec.preprocessing().crop();
        OnnxGraphBuilder g = new OnnxGraphBuilder(spec.name()).input(INPUT, BATCH, 3L, (long) crop, (long) crop);
        int lastStage = 0;
        for (String layer : layers) {
            lastStage = Math.max(lastStage, layer.startsWith("layer") ? Integer.parseInt(layer.substring(5)) : 4);
        }
        String x = stem(g, weights);
        for (int s = 0; s < lastStage; s++) {
            x = stage(g, weights, arch, x, s + 1);
            String stage = "layer" + (s + 1);
            boolean pooled = layers.contains(stage) || s == 3 && (layers.contains("avgpool") || layers.contains("fc"));
            if (pooled) {
                String mean = g.node("GlobalAveragePool", List.of(x), stage + ".mean");
                String flat = g.node("Flatten", List.of(mean), s == 3 ? "avgpool" : stage, Attribute.of("axis", 1));
                if (s == 3 && layers.contains("layer4")) {
                    g.node("Identity", List.of(flat), "layer4");
                }
            }
        }
        if (layers.contains("fc")) {
            fc(g, weights, "avgpool");
        }
        for (String layer : layers) {
            g.output(layer, BATCH, (long) spec.layers().get(layer));
        }
        return g.toModel();
    }

    /**
     * The network up to and including stage {@code stage} (1 for layer1 .. 4 for layer4): images in, the stage's
     * whole feature map out ({@link #FEATURES}, N x C x H x W, before any pooling).
     */
    static byte[] head(ModelSpec spec, Map<String, Tensor> weights, int stage) {
        ResNetArchitecture arch = ResNetArchitecture.of(spec);
        int crop = spec.preprocessing().crop();
        OnnxGraphBuilder g =
                new OnnxGraphBuilder(spec.name() + "-head").input(INPUT, BATCH, 3L, (long) crop, (long) crop);
        String x = stem(g, weights);
        for (int s = 1; s <= stage; s++) {
            x = stage(g, weights, arch, x, s);
        }
        g.node("Identity", List.of(x), FEATURES);
        return g.output(FEATURES, BATCH, (long) spec.layers().get("layer" + stage), "H", "W")
                .toModel();
    }

    /**
     * The rest of the network after stage {@code stage}: the stage's feature map ({@link #FEATURES}, N x C x H x W)
     * and per image and channel a factor ({@link #KEEP}) and an addend ({@link #FILL}, both N x C x 1 x 1) in; the
     * logits of features * keep + fill out ({@code fc}). keep = 1 and fill = 0 leave a channel as it is; keep = 0 and
     * fill = r set it to r at every position: the ablation of DESIGN.md ("Validity").
     */
    static byte[] tail(ModelSpec spec, Map<String, Tensor> weights, int stage) {
        ResNetArchitecture arch = ResNetArchitecture.of(spec);
        long channels = spec.layers().get("layer" + stage);
        OnnxGraphBuilder g = new OnnxGraphBuilder(spec.name() + "-tail")
                .input(FEATURES, BATCH, channels, "H", "W")
                .input(KEEP, BATCH, channels, 1L, 1L)
                .input(FILL, BATCH, channels, 1L, 1L);
        String x = g.node("Mul", List.of(FEATURES, KEEP), "ablated.kept");
        x = g.node("Add", List.of(x, FILL), "ablated");
        for (int s = stage + 1; s <= 4; s++) {
            x = stage(g, weights, arch, x, s);
        }
        String mean = g.node("GlobalAveragePool", List.of(x), "layer4.mean");
        fc(g, weights, g.node("Flatten", List.of(mean), "avgpool", Attribute.of("axis", 1)));
        return g.output("fc", BATCH, weights.get("fc.bias").shape()[0]).toModel();
    }

    private static String stem(OnnxGraphBuilder g, Map<String, Tensor> weights) {
        String x = relu(g, conv(g, weights, INPUT, "conv1", "bn1", 2, 3));
        return g.node(
                "MaxPool",
                List.of(x),
                "maxpool",
                Attribute.ints("kernel_shape", 3, 3),
                Attribute.ints("strides", 2, 2),
                Attribute.ints("pads", 1, 1, 1, 1));
    }

    /** Stage {@code stage} (1..4) of the network on {@code x}. */
    private static String stage(
            OnnxGraphBuilder g, Map<String, Tensor> weights, ResNetArchitecture arch, String x, int stage) {
        for (int b = 0; b < arch.blocks()[stage - 1]; b++) {
            x = block(g, weights, arch, x, "layer" + stage + "." + b, b == 0 && stage > 1 ? 2 : 1);
        }
        return x;
    }

    private static void fc(OnnxGraphBuilder g, Map<String, Tensor> weights, String pooled) {
        Tensor w = weights.get("fc.weight");
        Tensor b = weights.get("fc.bias");
        g.node(
                "Gemm",
                List.of(
                        pooled,
                        g.initializer("fc.weight", w.shape(), w.data()),
                        g.initializer("fc.bias", b.shape(), b.data())),
                "fc",
                Attribute.of("transB", 1));
    }

    private static String block(
            OnnxGraphBuilder g, Map<String, Tensor> w, ResNetArchitecture arch, String x, String p, int stride) {
        String y;
        if (arch.bottleneck()) {
            y = relu(g, conv(g, w, x, p + ".conv1", p + ".bn1", 1, 0));
            y = relu(g, conv(g, w, y, p + ".conv2", p + ".bn2", stride, 1));
            y = conv(g, w, y, p + ".conv3", p + ".bn3", 1, 0);
        } else {
            y = relu(g, conv(g, w, x, p + ".conv1", p + ".bn1", stride, 1));
            y = conv(g, w, y, p + ".conv2", p + ".bn2", 1, 1);
        }
        String identity = w.containsKey(p + ".downsample.0.weight")
                ? conv(g, w, x, p + ".downsample.0", p + ".downsample.1", stride, 0)
                : x;
        return relu(g, g.node("Add", List.of(y, identity), p + ".add"));
    }

    private static String conv(
            OnnxGraphBuilder g, Map<String, Tensor> w, String x, String convName, String bnName, int stride, int pad) {
        FoldedConv f = FoldedConv.of(w, convName, bnName);
        int k = f.kernel();
        String weight = g.initializer(convName + ".weight", new long[] {f.out(), f.in(), k, k}, f.weight());
        String bias = g.initializer(convName + ".bias", new long[] {f.out()}, f.bias());
        return g.node(
                "Conv",
                List.of(x, weight, bias),
                convName,
                Attribute.ints("kernel_shape", k, k),
                Attribute.ints("strides", stride, stride),
                Attribute.ints("pads", pad, pad, pad, pad));
    }

    private static String relu(OnnxGraphBuilder g, String x) {
        return g.node("Relu", List.of(x), x + ".relu");
    }
}
