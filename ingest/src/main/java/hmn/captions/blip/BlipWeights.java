package hmn.captions.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import hmn.core.BadInputException;
import hmn.runtime.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The parameter names and shapes of Hugging Face's {@code BlipForConditionalGeneration} for a given config, and
 * the loading of {@code model.safetensors} against them. Loading fails with a message that names every missing,
 * unexpected or mis-shaped parameter.
 */
public final class BlipWeights {
    static final String VISION = "vision_model.";
    static final String TEXT = "text_decoder.bert.";
    static final String HEAD = "text_decoder.cls.predictions.";
    /** Tied to the word embeddings; checkpoints may leave it out. */
    static final String DECODER_WEIGHT = HEAD + "decoder.weight";
    /** Tied to {@code cls.predictions.bias}; checkpoints may carry either or both. */
    static final String DECODER_BIAS = HEAD + "decoder.bias";

    static final String HEAD_BIAS = HEAD + "bias";
    static final String WORD_EMBEDDINGS = TEXT + "embeddings.word_embeddings.weight";

    private BlipWeights() {}

    /** Every parameter the model needs, with its shape, in a stable order. Optional tied ones are left out. */
    public static Map<String, Shape> expected(BlipConfig config) {
        Map<String, Shape> p = new LinkedHashMap<>();
        BlipConfig.Vision v = config.vision();
        int d = v.hiddenSize();
        p.put(VISION + "embeddings.class_embedding", new Shape(1, 1, d));
        p.put(VISION + "embeddings.patch_embedding.weight", new Shape(d, v.channels(), v.patchSize(), v.patchSize()));
        p.put(VISION + "embeddings.patch_embedding.bias", new Shape(d));
        p.put(VISION + "embeddings.position_embedding", new Shape(1, v.positions(), d));
        for (int i = 0; i < v.layers(); i++) {
            String l = VISION + "encoder.layers." + i + ".";
            linear(p, l + "self_attn.qkv", d, 3 * d);
            linear(p, l + "self_attn.projection", d, d);
            norm(p, l + "layer_norm1", d);
            linear(p, l + "mlp.fc1", d, v.intermediateSize());
            linear(p, l + "mlp.fc2", v.intermediateSize(), d);
            norm(p, l + "layer_norm2", d);
        }
        norm(p, VISION + "post_layernorm", d);

        BlipConfig.Text t = config.text();
        int h = t.hiddenSize();
        p.put(TEXT + "embeddings.word_embeddings.weight", new Shape(t.vocabSize(), h));
        p.put(TEXT + "embeddings.position_embeddings.weight", new Shape(t.maxPositions(), h));
        norm(p, TEXT + "embeddings.LayerNorm", h);
        for (int i = 0; i < t.layers(); i++) {
            String l = TEXT + "encoder.layer." + i + ".";
            linear(p, l + "attention.self.query", h, h);
            linear(p, l + "attention.self.key", h, h);
            linear(p, l + "attention.self.value", h, h);
            linear(p, l + "attention.output.dense", h, h);
            norm(p, l + "attention.output.LayerNorm", h);
            linear(p, l + "crossattention.self.query", h, h);
            linear(p, l + "crossattention.self.key", t.encoderHiddenSize(), h);
            linear(p, l + "crossattention.self.value", t.encoderHiddenSize(), h);
            linear(p, l + "crossattention.output.dense", h, h);
            norm(p, l + "crossattention.output.LayerNorm", h);
            linear(p, l + "intermediate.dense", h, t.intermediateSize());
            linear(p, l + "output.dense", t.intermediateSize(), h);
            norm(p, l + "output.LayerNorm", h);
        }
        linear(p, HEAD + "transform.dense", h, h);
        norm(p, HEAD + "transform.LayerNorm", h);
        return p;
    }

    /**
     * Loads {@code model.safetensors} into {@code manager}, keyed by parameter name; fills the tied LM-head
     * parameters when the checkpoint leaves them out. The arrays are made straight from the file's memory-mapped
     * bytes, so loading holds no copy of the checkpoint in the Java heap.
     */
    public static Map<String, NDArray> load(Path safetensors, BlipConfig config, NDManager manager) {
        Map<String, NDArray> byName = new HashMap<>();
        try {
            for (SafeTensors.Mapped t : SafeTensors.map(safetensors).values()) {
                DataType type = dataType(t.entry().dtype());
                if (type == null) {
                    throw new IllegalArgumentException("tensor " + t.entry().name() + " has dtype "
                            + t.entry().dtype() + ", which hmn cannot read");
                }
                NDArray a = manager.create(t.data(), new Shape(t.entry().shape()), type);
                a.setName(t.entry().name());
                byName.put(t.entry().name(), a);
            }
        } catch (IOException | RuntimeException e) {
            byName.values().forEach(NDArray::close);
            throw new BadInputException(
                    "cannot read BLIP weights " + safetensors + ": " + e.getMessage()
                            + " (expected the checkpoint's model.safetensors)",
                    e);
        }
        return check(byName, config, safetensors.toString());
    }

    /** DJL's type for a safetensors dtype, or null for one it has not. */
    static DataType dataType(String dtype) {
        return switch (dtype) {
            case "F32" -> DataType.FLOAT32;
            case "F16" -> DataType.FLOAT16;
            case "BF16" -> DataType.BFLOAT16;
            case "F64" -> DataType.FLOAT64;
            case "I64" -> DataType.INT64;
            case "I32" -> DataType.INT32;
            case "I8" -> DataType.INT8;
            case "U8" -> DataType.UINT8;
            case "BOOL" -> DataType.BOOLEAN;
            default -> null;
        };
    }

    static Map<String, NDArray> check(Map<String, NDArray> byName, BlipConfig config, String where) {
        Map<String, Shape> expected = expected(config);
        int vocab = config.text().vocabSize();
        int h = config.text().hiddenSize();
        Map<String, Shape> optional = Map.of(
                DECODER_WEIGHT, new Shape(vocab, h), DECODER_BIAS, new Shape(vocab), HEAD_BIAS, new Shape(vocab));
        TreeSet<String> missing = new TreeSet<>();
        List<String> wrongShape = new ArrayList<>();
        Map<String, NDArray> out = new HashMap<>();
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            NDArray a = byName.get(e.getKey());
            if (a == null && e.getKey().equals(WORD_EMBEDDINGS)) {
                a = byName.get(DECODER_WEIGHT); // tied: a checkpoint may keep only the LM head's copy
            }
            if (a == null) {
                missing.add(e.getKey());
            } else if (!a.getShape().equals(e.getValue())) {
                wrongShape.add(e.getKey() + " " + a.getShape() + " (expected " + e.getValue() + ")");
            } else {
                out.put(e.getKey(), a);
            }
        }
        for (Map.Entry<String, Shape> e : optional.entrySet()) {
            NDArray a = byName.get(e.getKey());
            if (a != null) {
                if (!a.getShape().equals(e.getValue())) {
                    wrongShape.add(e.getKey() + " " + a.getShape() + " (expected " + e.getValue() + ")");
                } else {
                    out.put(e.getKey(), a);
                }
            }
        }
        if (!byName.containsKey(HEAD_BIAS) && !byName.containsKey(DECODER_BIAS)) {
            missing.add(HEAD_BIAS);
        }
        TreeSet<String> unexpected = new TreeSet<>();
        for (String name : byName.keySet()) {
            if (!expected.containsKey(name) && !optional.containsKey(name) && !name.endsWith("position_ids")) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            StringBuilder m = new StringBuilder("BLIP weights " + where + " do not match its config.json:");
            if (!missing.isEmpty()) {
                m.append(" missing ")
                        .append(missing.size())
                        .append(' ')
                        .append(abbreviate(missing))
                        .append(';');
            }
            if (!unexpected.isEmpty()) {
                m.append(" unexpected ")
                        .append(unexpected.size())
                        .append(' ')
                        .append(abbreviate(unexpected))
                        .append(';');
            }
            if (!wrongShape.isEmpty()) {
                m.append(" wrong shape ").append(abbreviate(wrongShape)).append(';');
            }
            m.append(" use the model.safetensors and config.json of one BlipForConditionalGeneration checkpoint");
            throw new BadInputException(m.toString());
        }
        out.putIfAbsent(DECODER_WEIGHT, out.get(WORD_EMBEDDINGS));
        out.putIfAbsent(HEAD_BIAS, out.get(DECODER_BIAS));
        return out;
    }

    private static String abbreviate(java.util.Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        int show = Math.min(list.size(), 8);
        String shown = String.join(", ", list.subList(0, show));
        return "[" + shown + (list.size() > show ? ", ... " + (list.size() - show) + " more" : "") + "]";
    }

    private static void linear(Map<String, Shape> p, String name, int in, int out) {
        p.put(name + ".weight", new Shape(out, in));
        p.put(name + ".bias", new Shape(out));
    }

    private static void norm(Map<String, Shape> p, String name, int size) {
        p.put(name + ".weight", new Shape(size));
        p.put(name + ".bias", new Shape(size));
    }
}
