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
        String x = relu(g, conv(g, weights, INPUT, "conv1", "bn1", 2, 3));
        x = g.node(
                "MaxPool",
                List.of(x),
                "maxpool",
                Attribute.ints("kernel_shape", 3, 3),
                Attribute.ints("strides", 2, 2),
                Attribute.ints("pads", 1, 1, 1, 1));
        for (int s = 0; s < lastStage; s++) {
            for (int b = 0; b < arch.blocks()[s]; b++) {
                x = block(g, weights, arch, x, "layer" + (s + 1) + "." + b, b == 0 && s > 0 ? 2 : 1);
            }
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
            Tensor w = weights.get("fc.weight");
            g.node(
                    "Gemm",
                    List.of(
                            "avgpool",
                            g.initializer("fc.weight", w.shape(), w.data()),
                            g.initializer(
                                    "fc.bias",
                                    weights.get("fc.bias").shape(),
                                    weights.get("fc.bias").data())),
                    "fc",
                    Attribute.of("transB", 1));
        }
        for (String layer : layers) {
            g.output(layer, BATCH, (long) spec.layers().get(layer));
        }
        return g.toModel();
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
