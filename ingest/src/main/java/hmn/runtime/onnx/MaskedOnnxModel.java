package hmn.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hmn.core.BadInputException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A user's ONNX model with one tensor made ablatable ({@link OnnxGraph#withAblation}): every node reading the tensor
 * reads {@code tensor * keep + fill} instead, so the model's first graph output is its output z with channels
 * replaced (all its values per image, whatever its shape: DESIGN.md, "Validity"). A general graph cannot be cut at a tensor (a skip connection may cross it), so the head is the identity
 * and each ablated set reruns the whole graph.
 */
public final class MaskedOnnxModel implements AblatableNetwork {
    static final String KEEP = "hmn_keep";
    static final String FILL = "hmn_fill";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final String output;
    private final int size;
    private final int channels;
    private final int rank;
    private final int outputs;

    private MaskedOnnxModel(
            OrtSession session, String input, String output, int size, int channels, int rank, int outputs) {
        this.session = session;
        this.input = input;
        this.output = output;
        this.size = size;
        this.channels = channels;
        this.rank = rank;
        this.outputs = outputs;
    }

    /**
     * Loads {@code file} with {@code layer} (a tensor name, or the name hmn stored it under,
     * {@link OnnxModel#layerName}) ablatable; inputs are {@code size x size} images.
     */
    public static MaskedOnnxModel load(Path file, String layer, int size, int threads) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException("--model " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        OnnxGraph graph;
        try {
            graph = OnnxGraph.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--model " + file + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
        String tensor = tensor(graph, layer, file);
        if (graph.inputs().size() != 1 || graph.outputs().isEmpty()) {
            throw new BadInputException(
                    "--model " + file + " takes " + graph.inputs().size() + " inputs and gives "
                            + graph.outputs().size() + " outputs; hmn ablates a model with one image input");
        }
        String output = graph.outputs().get(0);
        if (tensor.equals(output)) {
            throw new BadInputException("--layers " + layer + " is " + file.getFileName() + "'s output itself; ablate"
                    + " a layer before it");
        }
        String input = graph.inputs().get(0);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape;
        int outputs;
        try (OrtSession probe = session(
                        env, graph.outputs().contains(tensor) ? bytes : graph.withOutputs(List.of(tensor)), threads);
                OnnxTensor x = OnnxTensor.createTensor(
                        env, FloatBuffer.wrap(new float[3 * size * size]), new long[] {1, 3, size, size});
                OrtSession.Result result = probe.run(Map.of(input, x))) {
            shape = ((OnnxTensor) result.get(tensor).orElseThrow()).getInfo().getShape();
            long[] out =
                    ((OnnxTensor) result.get(output).orElseThrow()).getInfo().getShape();
            long values = 1;
            for (int d = 1; d < out.length; d++) {
                values *= out[d];
            }
            outputs = out.length >= 2 ? Math.toIntExact(values) : -1;
        } catch (OrtException e) {
            throw new BadInputException("--model " + file + ": ONNX Runtime cannot run it (" + e.getMessage() + ")", e);
        }
        if (shape.length != 4 && shape.length != 2) {
            throw new BadInputException("--layers " + layer + " of " + file.getFileName() + " has " + shape.length
                    + " dimensions; only [N, C, H, W] or [N, C] layers can be ablated");
        }
        if (outputs < 1) {
            throw new BadInputException("--model " + file + ": its first output '" + output + "' has no values per"
                    + " image; hmn measures ablations on the model's first output");
        }
        OrtSession session = session(env, graph.withAblation(tensor, KEEP, FILL, shape.length), threads);
        return new MaskedOnnxModel(session, input, output, size, (int) shape[1], shape.length, outputs);
    }

    /** The tensor {@code layer} names: itself, or the one stored under that name. */
    private static String tensor(OnnxGraph graph, String layer, Path file) {
        List<String> names = new java.util.ArrayList<>(graph.outputs());
        names.addAll(graph.intermediates());
        if (names.contains(layer)) {
            return layer;
        }
        return names.stream()
                .filter(n -> OnnxModel.layerName(n).equals(layer))
                .findFirst()
                .orElseThrow(() -> new BadInputException("--layers " + layer + ": " + file.getFileName() + " has no"
                        + " such tensor; give the layer the graph was built from"));
    }

    private static OrtSession session(OrtEnvironment env, byte[] model, int threads) {
        try {
            return Sessions.create(env, model, threads);
        } catch (OrtException e) {
            throw new BadInputException(
                    "ONNX Runtime cannot load the model with the layer made ablatable (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int featureSize() {
        return inputSize();
    }

    @Override
    public int inputSize() {
        return 3 * size * size;
    }

    @Override
    public int outputs() {
        return outputs;
    }

    /** The images themselves: the whole graph runs for each ablated set. */
    @Override
    public float[] features(float[] images, int count) {
        return java.util.Arrays.copyOf(images, count * inputSize());
    }

    @Override
    public float[] logits(float[] features, float[] keep, float[] fill, int count) {
        long[] perChannel = rank == 4 ? new long[] {count, channels, 1, 1} : new long[] {count, channels};
        try (OnnxTensor x = OnnxTensor.createTensor(
                        env, FloatBuffer.wrap(features, 0, count * inputSize()), new long[] {count, 3, size, size});
                OnnxTensor k = OnnxTensor.createTensor(env, FloatBuffer.wrap(keep, 0, count * channels), perChannel);
                OnnxTensor f = OnnxTensor.createTensor(env, FloatBuffer.wrap(fill, 0, count * channels), perChannel);
                OrtSession.Result result = session.run(Map.of(input, x, KEEP, k, FILL, f), java.util.Set.of(output))) {
            FloatBuffer buffer = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] out = new float[count * outputs];
            buffer.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the ablated model: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        Sessions.closeQuietly(session);
    }
}
