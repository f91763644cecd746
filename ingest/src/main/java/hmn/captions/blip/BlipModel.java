package hmn.captions.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The forward pass of {@code BlipForConditionalGeneration} on DJL arrays: the ViT image encoder and one step of the
 * BERT-style text decoder (causal self-attention over cached keys and values, cross-attention to the image, LM head).
 * Weights live in this model's manager; everything a batch creates lives in the batch's manager.
 */
final class BlipModel implements AutoCloseable {
    private final BlipConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> p;

    private BlipModel(BlipConfig config, NDManager manager, Map<String, NDArray> p) {
        this.config = config;
        this.manager = manager;
        this.p = p;
    }

    /** Loads {@code model.safetensors} against {@code config}; linear weights get transposed views for matMul. */
    static BlipModel load(Path safetensors, BlipConfig config) {
        NDManager manager = NDManager.newBaseManager();
        try {
            Map<String, NDArray> raw = BlipWeights.load(safetensors, config, manager);
            Map<String, NDArray> p = new HashMap<>();
            Map<NDArray, NDArray> asFloat = new IdentityHashMap<>(); // tied parameters share one array
            for (Map.Entry<String, NDArray> e : raw.entrySet()) {
                NDArray a = e.getValue();
                if (a.getDataType() != DataType.FLOAT32) {
                    a = asFloat.computeIfAbsent(a, stored -> {
                        NDArray converted = stored.toType(DataType.FLOAT32, true);
                        stored.close(); // releases its mapped bytes
                        return converted;
                    });
                }
                p.put(e.getKey(), a);
            }
            for (Map.Entry<String, NDArray> e : Map.copyOf(p).entrySet()) {
                String name = e.getKey();
                boolean linear = name.endsWith(".weight")
                        && e.getValue().getShape().dimension() == 2
                        && !name.contains("embeddings");
                if (linear) {
                    p.put(name + "T", e.getValue().transpose());
                }
            }
            p.put("wordEmbeddingsT", p.get(BlipWeights.DECODER_WEIGHT).transpose());
            return new BlipModel(config, manager, p);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    BlipConfig config() {
        return config;
    }

    NDManager manager() {
        return manager;
    }

    /**
     * A parameter's float32 values in row-major order, in a buffer outside the Java heap, by its key: a checkpoint
     * name, or {@code NAME.weightT} for a linear layer's weight transposed to (in, out).
     */
    ByteBuffer parameterBytes(String key) {
        return parameter(key).toByteBuffer(true).order(ByteOrder.nativeOrder());
    }

    /** A parameter's shape, by the same keys as {@link #parameterBytes}. */
    long[] parameterShape(String key) {
        return parameter(key).getShape().getShape();
    }

    /** A parameter's values (float32), by its checkpoint name. */
    float[] weight(String name) {
        return parameter(name).toFloatArray();
    }

    private NDArray parameter(String key) {
        NDArray a = p.get(key);
        if (a == null) {
            throw new IllegalArgumentException("no BLIP parameter " + key);
        }
        return a;
    }

    /** Image embeddings (B, patches + 1, vision hidden) of normalised pixels (B, 3, size, size). */
    NDArray encodeImages(NDArray pixels) {
        BlipConfig.Vision v = config.vision();
        String e = BlipWeights.VISION + "embeddings.";
        long b = pixels.getShape().get(0);
        int d = v.hiddenSize();
        NDArray patches = Conv2d.conv2d(
                        pixels,
                        p.get(e + "patch_embedding.weight"),
                        p.get(e + "patch_embedding.bias"),
                        new Shape(v.patchSize(), v.patchSize()))
                .singletonOrThrow();
        NDArray x = patches.reshape(b, d, -1).transpose(0, 2, 1);
        NDArray cls = p.get(e + "class_embedding").broadcast(new Shape(b, 1, d));
        cls.attach(pixels.getManager());
        x = cls.concat(x, 1).add(p.get(e + "position_embedding"));
        NDManager batch = pixels.getManager();
        for (int i = 0; i < v.layers(); i++) {
            // each layer's intermediates (attention scores above all) are freed when the layer is done
            try (NDManager layer = batch.newSubManager()) {
                x.attach(layer);
                String l = BlipWeights.VISION + "encoder.layers." + i + ".";
                NDArray h = norm(x, l + "layer_norm1", v.layerNormEps());
                NDArray qkv = linear(h, l + "self_attn.qkv")
                        .reshape(b, -1, 3, v.heads(), d / v.heads())
                        .transpose(2, 0, 3, 1, 4);
                NDArray context = attention(qkv.get(0), qkv.get(1), qkv.get(2));
                x = x.add(linear(merge(context), l + "self_attn.projection"));
                h = norm(x, l + "layer_norm2", v.layerNormEps());
                x = x.add(linear(Activation.gelu(linear(h, l + "mlp.fc1")), l + "mlp.fc2"));
                x.attach(batch);
            }
        }
        return norm(x, BlipWeights.VISION + "post_layernorm", v.layerNormEps());
    }

    /** The decoder's state for rows that each caption one image: cross-attention keys/values and the self cache. */
    final class DecoderState {
        /** Per layer, transposed and contiguous: (rows, heads, head size, patches). */
        private final NDArray[] crossKeys;

        private final NDArray[] crossValues;
        private final NDArray[] keys;
        private final NDArray[] values;
        private int length;

        private final NDManager stateManager;

        private DecoderState(NDArray imageEmbeds, NDManager batch) {
            this.stateManager = batch;
            BlipConfig.Text t = config.text();
            crossKeys = new NDArray[t.layers()];
            crossValues = new NDArray[t.layers()];
            keys = new NDArray[t.layers()];
            values = new NDArray[t.layers()];
            for (int i = 0; i < t.layers(); i++) {
                String l = BlipWeights.TEXT + "encoder.layer." + i + ".crossattention.self.";
                try (NDManager layer = batch.newSubManager()) {
                    imageEmbeds.tempAttach(layer);
                    crossKeys[i] = keep(
                            contiguous(heads(linear(imageEmbeds, l + "key")).transpose(0, 1, 3, 2)));
                    crossValues[i] = keep(contiguous(heads(linear(imageEmbeds, l + "value"))));
                }
            }
        }

        int length() {
            return length;
        }

        /** Keeps the given rows, in this order (beam search's reordering); rows may repeat. */
        void select(NDArray rows) {
            for (int i = 0; i < keys.length; i++) {
                crossKeys[i] = replace(crossKeys[i], crossKeys[i].get(new NDIndex("{}", rows)));
                crossValues[i] = replace(crossValues[i], crossValues[i].get(new NDIndex("{}", rows)));
                if (keys[i] != null) {
                    keys[i] = replace(keys[i], keys[i].get(new NDIndex("{}", rows)));
                    values[i] = replace(values[i], values[i].get(new NDIndex("{}", rows)));
                }
            }
        }

        /**
         * Feeds one token per row at the next position and returns the logits (rows, vocab) for the token after it.
         * Arrays of the step live in {@code step}; the grown caches move to the state's own arrays.
         */
        NDArray step(NDArray tokens, NDManager step) {
            BlipConfig.Text t = config.text();
            if (length >= t.maxPositions()) {
                throw new IllegalStateException("caption longer than max_position_embeddings " + t.maxPositions());
            }
            String e = BlipWeights.TEXT + "embeddings.";
            long rows = tokens.getShape().get(0);
            NDArray word = p.get(e + "word_embeddings.weight").get(new NDIndex("{}", tokens));
            word.attach(step);
            NDArray position = p.get(e + "position_embeddings.weight").get(new NDIndex("{}:{}", length, length + 1));
            position.attach(step);
            NDArray x = norm(word.add(position).reshape(rows, 1, t.hiddenSize()), e + "LayerNorm", t.layerNormEps());
            for (int i = 0; i < t.layers(); i++) {
                String l = BlipWeights.TEXT + "encoder.layer." + i + ".";
                NDArray q = heads(linear(x, l + "attention.self.query"));
                NDArray k = heads(linear(x, l + "attention.self.key"));
                NDArray v = heads(linear(x, l + "attention.self.value"));
                keys[i] = keys[i] == null ? keep(k) : replace(keys[i], keys[i].concat(k, 2));
                values[i] = values[i] == null ? keep(v) : replace(values[i], values[i].concat(v, 2));
                NDArray context = attention(q, keys[i], values[i]);
                context.attach(step);
                NDArray attended = norm(
                        linear(merge(context), l + "attention.output.dense").add(x),
                        l + "attention.output.LayerNorm",
                        t.layerNormEps());
                NDArray cq = heads(linear(attended, l + "crossattention.self.query"));
                NDArray cross = attentionTransposed(cq, crossKeys[i], crossValues[i]);
                NDArray crossed = norm(
                        linear(merge(cross), l + "crossattention.output.dense").add(attended),
                        l + "crossattention.output.LayerNorm",
                        t.layerNormEps());
                NDArray inner = Activation.gelu(linear(crossed, l + "intermediate.dense"));
                x = norm(linear(inner, l + "output.dense").add(crossed), l + "output.LayerNorm", t.layerNormEps());
            }
            length++;
            NDArray h = x.reshape(rows, t.hiddenSize());
            h = norm(
                    Activation.gelu(linear(h, BlipWeights.HEAD + "transform.dense")),
                    BlipWeights.HEAD + "transform.LayerNorm",
                    t.layerNormEps());
            return h.matMul(p.get("wordEmbeddingsT")).add(p.get(BlipWeights.HEAD_BIAS));
        }

        private NDArray keep(NDArray a) {
            a.attach(stateManager);
            return a;
        }

        private NDArray replace(NDArray old, NDArray next) {
            next.attach(stateManager);
            old.close();
            return next;
        }
    }

    /** A decoder state whose caches live in {@code batch}. */
    DecoderState start(NDArray imageEmbeds, NDManager batch) {
        return new DecoderState(imageEmbeds, batch);
    }

    private NDArray linear(NDArray x, String name) {
        return x.matMul(p.get(name + ".weightT")).add(p.get(name + ".bias"));
    }

    private NDArray norm(NDArray x, String name, double eps) {
        long last = x.getShape().get(x.getShape().dimension() - 1);
        NDList out =
                LayerNorm.layerNorm(x, new Shape(last), p.get(name + ".weight"), p.get(name + ".bias"), (float) eps);
        return out.singletonOrThrow();
    }

    /** (B, T, H) to (B, heads, T, H / heads), with the text decoder's head count. */
    private NDArray heads(NDArray x) {
        BlipConfig.Text t = config.text();
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), t.heads(), t.hiddenSize() / t.heads())
                .transpose(0, 2, 1, 3);
    }

    /** (B, heads, T, d) to (B, T, heads * d). */
    private static NDArray merge(NDArray context) {
        Shape s = context.getShape();
        return context.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }

    private static NDArray attention(NDArray q, NDArray k, NDArray v) {
        return attentionTransposed(q, k.transpose(0, 1, 3, 2), v);
    }

    /** Attention with the keys given transposed, (B, heads, d, T). */
    private static NDArray attentionTransposed(NDArray q, NDArray keysT, NDArray v) {
        double scale = 1.0 / Math.sqrt(q.getShape().get(q.getShape().dimension() - 1));
        return q.matMul(keysT).mul(scale).softmax(-1).matMul(v);
    }

    /**
     * A contiguous copy of a (B, heads, m, n) view whose batch dimensions cannot be merged (as {@link #heads} makes
     * them). A batched product of such a view copies it on every call; the cross-attention keys and values, used at
     * every decoding step, are copied once here instead. (PyTorch's reshape copies to contiguous memory exactly when
     * no view can give the new shape.)
     */
    private static NDArray contiguous(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0) * s.get(1), s.get(2), s.get(3)).reshape(s);
    }

    @Override
    public void close() {
        manager.close();
    }
}
