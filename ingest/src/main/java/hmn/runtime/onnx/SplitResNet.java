package hmn.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hmn.runtime.ModelSpec;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A catalogue ResNet cut after one stage, for ablations of that stage's channels ({@code hmn validate}): the
 * {@linkplain #features head} runs once per image up to the stage's whole feature map, and the
 * {@linkplain #logits tail} recomputes only the rest of the network on that map with channels replaced. Both are
 * ONNX graphs built in Java ({@link ResNetOnnx#head}, {@link ResNetOnnx#tail}) and run by ONNX Runtime.
 */
public final class SplitResNet implements AblatableNetwork {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession head;
    private final OrtSession tail;
    private final int channels;
    private final int side;
    private final int outputs;
    private final int crop;

    private SplitResNet(ModelSpec spec, Map<String, Tensor> weights, int stage, int threads) {
        ResNetArchitecture.of(spec).validate(weights, spec.name());
        this.crop = spec.preprocessing().crop();
        this.channels = spec.layers().get("layer" + stage);
        this.side = featureSide(crop, stage);
        this.outputs = (int) weights.get("fc.bias").shape()[0];
        this.head = session(ResNetOnnx.head(spec, weights, stage), threads);
        try {
            this.tail = session(ResNetOnnx.tail(spec, weights, stage), threads);
        } catch (RuntimeException e) {
            Sessions.closeQuietly(head);
            throw e;
        }
    }

    /**
     * {@code spec} on {@code weights} cut after {@code layer} (layer1 .. layer4), run with {@code threads} intra-op
     * threads (0 = one per core).
     */
    public static SplitResNet of(ModelSpec spec, Map<String, Tensor> weights, String layer, int threads) {
        if (!layer.matches("layer[1-4]")) {
            throw new IllegalArgumentException("a ResNet is cut after layer1 .. layer4, not " + layer);
        }
        return new SplitResNet(spec, weights, Integer.parseInt(layer.substring(5)), threads);
    }

    /** The side of a stage's square feature map for a crop x crop input: /4 by the stem, /2 by each later stage. */
    static int featureSide(int crop, int stage) {
        int side = (crop + 1) / 2; // conv1, stride 2, padding 3, kernel 7
        side = (side + 1) / 2; // max pool, stride 2, padding 1, kernel 3
        for (int s = 2; s <= stage; s++) {
            side = (side + 1) / 2; // the stage's first block, stride 2
        }
        return side;
    }

    /** The stage's channel count. */
    @Override
    public int channels() {
        return channels;
    }

    /** Values per image of the stage's feature map: channels x side x side. */
    @Override
    public int featureSize() {
        return channels * side * side;
    }

    /** Values per preprocessed input image: 3 x crop x crop. */
    @Override
    public int inputSize() {
        return 3 * crop * crop;
    }

    /** The model's output count (the fc logits). */
    @Override
    public int outputs() {
        return outputs;
    }

    /** The stage's feature maps of {@code count} preprocessed images (CHW, one after another). */
    @Override
    public float[] features(float[] images, int count) {
        try (OnnxTensor x = OnnxTensor.createTensor(
                        env, FloatBuffer.wrap(images, 0, count * inputSize()), new long[] {count, 3, crop, crop});
                OrtSession.Result result = head.run(Map.of(ResNetOnnx.INPUT, x))) {
            return copy(result, count * featureSize());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the network's head: " + e.getMessage(), e);
        }
    }

    /**
     * The logits of {@code count} feature maps with each channel c of map i replaced by {@code features * keep[i, c]
     * + fill[i, c]}; {@code keep} and {@code fill} hold {@code count x channels} values.
     */
    @Override
    public float[] logits(float[] features, float[] keep, float[] fill, int count) {
        long[] perChannel = {count, channels, 1, 1};
        try (OnnxTensor x =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(features, 0, count * featureSize()), new long[] {
                            count, channels, side, side
                        });
                OnnxTensor k = OnnxTensor.createTensor(env, FloatBuffer.wrap(keep, 0, count * channels), perChannel);
                OnnxTensor f = OnnxTensor.createTensor(env, FloatBuffer.wrap(fill, 0, count * channels), perChannel);
                OrtSession.Result result =
                        tail.run(Map.of(ResNetOnnx.FEATURES, x, ResNetOnnx.KEEP, k, ResNetOnnx.FILL, f))) {
            return copy(result, count * outputs);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the network's tail: " + e.getMessage(), e);
        }
    }

    private static float[] copy(OrtSession.Result result, int length) {
        FloatBuffer buffer = ((OnnxTensor) result.get(0)).getFloatBuffer();
        if (buffer.remaining() != length) {
            throw new IllegalStateException("expected " + length + " values, ONNX Runtime gave " + buffer.remaining());
        }
        float[] out = new float[length];
        buffer.get(out);
        return out;
    }

    private OrtSession session(byte[] model, int threads) {
        try {
            return Sessions.create(env, model, threads);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the split ResNet: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        Sessions.closeQuietly(head);
        Sessions.closeQuietly(tail);
    }
}
