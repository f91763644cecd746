package hmn.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.core.BadInputException;
import hmn.images.ImageNetPreprocessing;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import hmn.runtime.weights.WeightsSource;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One stage's full feature maps (N x C x H x W, before the spatial mean the activation stage stores) of a catalogue
 * ResNet, for a few images: the graph {@link ResNetOnnx} builds, with the stage's last ReLU added as an output and
 * run by ONNX Runtime. {@link #rebuild} makes the model a {@code run.json} records (catalogue model, seeded random
 * or cached published weights); the channel means of its maps are the activations that run stored.
 */
public final class FeatureMaps implements AutoCloseable {
    private static final Pattern SEED = Pattern.compile("^random:seed=(-?\\d+)");

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String output;
    private final ImageNetPreprocessing preprocessing;
    private final String layer;

    private FeatureMaps(ModelSpec spec, Map<String, Tensor> weights, String layer, int threads) {
        if (!layer.matches("layer[1-4]")) {
            throw new BadInputException("feature maps: layer must be one of layer1..layer4, got '" + layer + "'");
        }
        this.layer = layer;
        this.preprocessing = spec.preprocessing().toTransform();
        ResNetArchitecture arch = ResNetArchitecture.of(spec);
        int stage = Integer.parseInt(layer.substring(5));
        // ResNetOnnx names a block's output "{stage}.{block}.add.relu"
        this.output = layer + "." + (arch.blocks()[stage - 1] - 1) + ".add.relu";
        byte[] model =
                OnnxGraph.parse(ResNetOnnx.build(spec, weights, Set.of(layer))).withOutputs(List.of(output));
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            this.session = env.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "ONNX Runtime cannot load " + spec.name() + "'s graph: " + e.getMessage(), e);
        }
    }

    /** The feature maps of {@code layer} of catalogue model {@code spec} on {@code weights}. */
    public static FeatureMaps of(ModelSpec spec, Map<String, Tensor> weights, String layer, int threads) {
        return new FeatureMaps(spec, weights, layer, threads);
    }

    /**
     * The model an activations directory's {@code run.json} records, rebuilt for {@code layer}: a catalogue ResNet
     * with seeded random weights (same seed) or with its published weights from {@code cacheDir} (no download).
     *
     * @throws BadInputException with the reason when it cannot be rebuilt (no run.json, a user model, weights from a
     *     file or not cached)
     */
    public static FeatureMaps rebuild(Path runJson, String layer, Path cacheDir, int threads) {
        if (!Files.isRegularFile(runJson)) {
            throw new BadInputException(runJson + " not found: the activations were imported, not computed by hmn");
        }
        Map<?, ?> run;
        try {
            run = new ObjectMapper().readValue(runJson.toFile(), Map.class);
        } catch (IOException e) {
            throw new BadInputException(runJson + ": cannot read (" + e.getMessage() + ")", e);
        }
        String name = String.valueOf(run.get("model"));
        String weights = String.valueOf(run.get("weights"));
        if (!ModelCatalogue.names().contains(name)) {
            throw new BadInputException(
                    "model " + name + " is not a catalogue ResNet; its feature maps are not rebuilt");
        }
        ModelSpec spec = ModelCatalogue.get(name);
        Matcher seed = SEED.matcher(weights);
        WeightsSource.Loaded loaded;
        if (seed.find()) {
            loaded = WeightsSource.random(ResNetArchitecture.of(spec), Long.parseLong(seed.group(1)));
        } else if (weights.startsWith("torchvision:")) {
            if (cacheDir == null || !Files.isDirectory(cacheDir)) {
                throw new BadInputException("the published weights of " + name + " are not cached");
            }
            loaded = WeightsSource.builder()
                    .cacheDir(cacheDir)
                    .progress(false)
                    .build()
                    .published(spec);
        } else if (weights.startsWith("hmn:")) {
            // weights that ship with hmn (models/weights): found again on the class path, checksum checked
            loaded = WeightsSource.builder().progress(false).build().published(spec);
        } else {
            throw new BadInputException("weights '" + weights + "' cannot be found again (a file given at ingest)");
        }
        return new FeatureMaps(spec, loaded.tensors(), layer, threads);
    }

    public ImageNetPreprocessing preprocessing() {
        return preprocessing;
    }

    public String layer() {
        return layer;
    }

    /** Feature maps of a batch: {@code values[((n * channels + c) * height + y) * width + x]}. */
    public record Batch(int count, int channels, int height, int width, float[] values) {
        /** Channel {@code c}'s map of image {@code n}, row-major (height x width). */
        public float[] map(int n, int c) {
            float[] out = new float[height * width];
            System.arraycopy(values, (n * channels + c) * height * width, out, 0, out.length);
            return out;
        }
    }

    /** Runs {@code count} preprocessed images (CHW, one after another in {@code input}). */
    public Batch run(float[] input, int count) {
        int size = preprocessing.crop();
        try (OnnxTensor x = OnnxTensor.createTensor(
                        env, FloatBuffer.wrap(input, 0, count * 3 * size * size), new long[] {count, 3, size, size});
                OrtSession.Result result = session.run(Map.of(ResNetOnnx.INPUT, x), Set.of(output))) {
            OnnxTensor t = (OnnxTensor) result.get(output).orElseThrow();
            long[] shape = t.getInfo().getShape();
            FloatBuffer buffer = t.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return new Batch(count, (int) shape[1], (int) shape[2], (int) shape[3], values);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing: nothing left to do
        }
    }
}
