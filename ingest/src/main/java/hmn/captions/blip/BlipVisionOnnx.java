package hmn.captions.blip;

import hmn.runtime.onnx.OnnxGraphBuilder;
import hmn.runtime.onnx.OnnxGraphBuilder.Attribute;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * BLIP's ViT image encoder ({@code BlipVisionModel}) as an ONNX graph for ONNX Runtime, built in Java from the loaded
 * weights, op for op as Hugging Face's forward: patch convolution, class token and position embeddings, pre-norm
 * blocks of fused-QKV self-attention and an exact (erf) GELU MLP, then the post-layernorm. The graph reads
 * {@value #PIXELS} (N x 3 x size x size) and writes {@value #EMBEDS} (N x (patches + 1) x hidden): the same values as
 * {@link BlipModel#encodeImages}, up to float rounding. The weight matrices, nearly all of the bytes, are external
 * initializers ({@link Graph#external}) that the session is given apart; the serialised graph holds the rest.
 */
final class BlipVisionOnnx {
    static final String PIXELS = "pixels";
    static final String EMBEDS = "embeds";
    /** LayerNormalization entered the default domain in opset 17. */
    private static final int OPSET = 17;

    private static final String BATCH = "N";

    private BlipVisionOnnx() {}

    /**
     * The serialised encoder and the names of its external initializers, each the key of the parameter it holds
     * (a checkpoint name, or {@code NAME.weightT}: a linear layer's weight transposed to (in, out) for MatMul).
     */
    record Graph(byte[] model, List<String> external) {}

    /** The encoder; {@code weight} gives a small parameter's values (biases, norms, embeddings) by name. */
    static Graph build(BlipConfig.Vision v, Function<String, float[]> weight) {
        List<String> external = new ArrayList<>();
        int d = v.hiddenSize();
        int ps = v.patchSize();
        int tokens = v.positions();
        String e = BlipWeights.VISION + "embeddings.";
        OnnxGraphBuilder g = new OnnxGraphBuilder("blip-vision", OPSET)
                .input(PIXELS, BATCH, 3L, (long) v.imageSize(), (long) v.imageSize());
        String patchWeight = g.externalInitializer(e + "patch_embedding.weight", d, v.channels(), ps, ps);
        external.add(patchWeight);
        String patches = g.node(
                "Conv",
                List.of(PIXELS, patchWeight, vector(g, weight, e + "patch_embedding.bias")),
                "patches",
                Attribute.ints("kernel_shape", ps, ps),
                Attribute.ints("strides", ps, ps));
        String flat = g.node("Reshape", List.of(patches, g.longs("patches.shape", 0, d, -1)), "patches.flat");
        String sequence = g.node("Transpose", List.of(flat), "patches.sequence", Attribute.ints("perm", 0, 2, 1));
        // a zero row in front of the patches, then one add puts the class token there and the positions everywhere
        String padded = g.node("Pad", List.of(sequence, g.longs("class.pads", 0, 1, 0, 0, 0, 0)), "tokens.padded");
        float[] start = weight.apply(e + "position_embedding").clone();
        float[] cls = weight.apply(e + "class_embedding");
        for (int i = 0; i < d; i++) {
            start[i] += cls[i];
        }
        String x = g.node(
                "Add", List.of(padded, g.initializer("tokens.start", new long[] {1, tokens, d}, start)), "tokens");

        String half = g.initializer("half", new long[0], new float[] {0.5f});
        String one = g.initializer("one", new long[0], new float[] {1f});
        String rootTwo = g.initializer("sqrt2", new long[0], new float[] {(float) Math.sqrt(2)});
        int heads = v.heads();
        String scale = g.initializer(
                "attention.scale", new long[0], new float[] {(float) (1 / Math.sqrt((double) d / heads))});
        String qkvShape = g.longs("qkv.shape", 0, 0, 3, heads, d / heads);
        String mergedShape = g.longs("merged.shape", 0, 0, d);
        String[] pick = {g.scalar("q.index", 0), g.scalar("k.index", 1), g.scalar("v.index", 2)};
        for (int i = 0; i < v.layers(); i++) {
            String l = BlipWeights.VISION + "encoder.layers." + i + ".";
            String h = norm(g, weight, x, l + "layer_norm1", v.layerNormEps());
            String qkv = g.node(
                    "Reshape",
                    List.of(linear(g, external, weight, h, l + "self_attn.qkv", d, 3 * d), qkvShape),
                    l + "qkv.split");
            String split = g.node("Transpose", List.of(qkv), l + "qkv.heads", Attribute.ints("perm", 2, 0, 3, 1, 4));
            String q = g.node("Gather", List.of(split, pick[0]), l + "q", Attribute.of("axis", 0));
            String k = g.node("Gather", List.of(split, pick[1]), l + "k", Attribute.of("axis", 0));
            String val = g.node("Gather", List.of(split, pick[2]), l + "v", Attribute.of("axis", 0));
            String kt = g.node("Transpose", List.of(k), l + "k.t", Attribute.ints("perm", 0, 1, 3, 2));
            String scores = g.node("Mul", List.of(g.node("MatMul", List.of(q, kt), l + "qk"), scale), l + "scores");
            String probs = g.node("Softmax", List.of(scores), l + "probs", Attribute.of("axis", -1));
            String context = g.node("MatMul", List.of(probs, val), l + "context");
            String merged = g.node(
                    "Reshape",
                    List.of(
                            g.node("Transpose", List.of(context), l + "context.t", Attribute.ints("perm", 0, 2, 1, 3)),
                            mergedShape),
                    l + "merged");
            x = g.node(
                    "Add",
                    List.of(x, linear(g, external, weight, merged, l + "self_attn.projection", d, d)),
                    l + "attended");
            h = norm(g, weight, x, l + "layer_norm2", v.layerNormEps());
            String up = linear(g, external, weight, h, l + "mlp.fc1", d, v.intermediateSize());
            String erf = g.node("Erf", List.of(g.node("Div", List.of(up, rootTwo), l + "gelu.scaled")), l + "gelu.erf");
            // x (1 + erf(x / sqrt 2)) / 2 in this order, the pattern ONNX Runtime fuses into one Gelu
            String scaled = g.node(
                    "Mul", List.of(up, g.node("Add", List.of(erf, one), l + "gelu.shift")), l + "gelu.scaled.up");
            String gelu = g.node("Mul", List.of(scaled, half), l + "gelu");
            x = g.node(
                    "Add",
                    List.of(x, linear(g, external, weight, gelu, l + "mlp.fc2", v.intermediateSize(), d)),
                    l + "out");
        }
        norm(g, weight, x, BlipWeights.VISION + "post_layernorm", v.layerNormEps(), EMBEDS);
        return new Graph(g.output(EMBEDS, BATCH, (long) tokens, (long) d).toModel(), external);
    }

    /** x W^T + b, with the checkpoint's (out, in) weight given transposed, (in, out), for MatMul. */
    private static String linear(
            OnnxGraphBuilder g,
            List<String> external,
            Function<String, float[]> weight,
            String x,
            String name,
            int in,
            int out) {
        String transposed = g.externalInitializer(name + ".weightT", in, out);
        external.add(transposed);
        String product = g.node("MatMul", List.of(x, transposed), name + ".product");
        return g.node("Add", List.of(product, vector(g, weight, name + ".bias")), name);
    }

    private static String norm(
            OnnxGraphBuilder g, Function<String, float[]> weight, String x, String name, double eps) {
        return norm(g, weight, x, name, eps, name);
    }

    private static String norm(
            OnnxGraphBuilder g, Function<String, float[]> weight, String x, String name, double eps, String output) {
        return g.node(
                "LayerNormalization",
                List.of(x, vector(g, weight, name + ".weight"), vector(g, weight, name + ".bias")),
                output,
                Attribute.of("axis", -1),
                Attribute.real("epsilon", (float) eps));
    }

    private static String vector(OnnxGraphBuilder g, Function<String, float[]> weight, String name) {
        float[] values = weight.apply(name);
        return g.initializer(name, new long[] {values.length}, values);
    }
}
