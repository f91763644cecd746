package hmn.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import hmn.core.BadInputException;
import hmn.io.FloatMatrix;
import hmn.runtime.ActivationModel;
import hmn.runtime.ModelSpec;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import hmn.runtime.weights.WeightsSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToDoubleFunction;

/**
 * Any ONNX model (ONNX Runtime, CPU) whose single input is an N x 3 x H x W float image batch. A layer is a graph
 * output or any intermediate tensor of the main graph (a node's output): intermediate ones are added to the graph's
 * outputs in memory before the session is created, so the file itself is never changed. Layers are stored under
 * {@link #layerName} (names the graph accepts). An output of shape
 * [N, C, H, W] gives C neurons (the spatial mean of each channel), [N, C] is used as it is; any other shape is
 * refused when the model is loaded. Catalogue ResNets run here too, on a graph built in memory ({@link #resnet}).
 */
public final class OnnxModel implements ActivationModel {
    private static final int LISTED = 12;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final int size;
    private final Map<String, Integer> layers;
    private final Map<String, String> tensors;
    private final List<String> available;
    private final String provenance;
    private FloatBuffer inputBuffer;

    private OnnxModel(Path file, List<String> requested, int size, int threads) {
        this.size = size;
        String fileName = file.getFileName().toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException("--model " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        this.provenance = "onnx:" + fileName + " sha256=" + WeightsSource.sha256(file);
        OnnxGraph graph;
        try {
            graph = OnnxGraph.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(
                    "--model " + file + ": not an ONNX model (" + e.getMessage()
                            + "); export one with torch.onnx.export(model, example, path, output_names=[...])",
                    e);
        }
        List<String> available = new ArrayList<>(graph.outputs());
        available.addAll(graph.intermediates());
        this.available = List.copyOf(available);
        List<String> extra = new ArrayList<>();
        for (String layer : requested) {
            if (graph.outputs().contains(layer)) {
                continue;
            }
            if (!graph.intermediates().contains(layer)) {
                throw new BadInputException("unknown layer '" + layer + "' for " + fileName + "; its graph outputs: "
                        + String.join(", ", graph.outputs()) + "; or an intermediate tensor (a node's output) of its "
                        + graph.intermediates().size() + ": " + sample(graph.intermediates()));
            }
            extra.add(layer);
        }
        this.session = open(file.toString(), extra.isEmpty() ? null : graph.withOutputs(extra), threads);
        Selection selection = selectOrClose(requested, fileName);
        this.input = selection.input();
        this.layers = selection.layers();
        this.tensors = selection.tensors();
    }

    /** A model whose graph was built in memory ({@code label} names it in messages). */
    private OnnxModel(
            String label,
            byte[] model,
            String provenance,
            List<String> requested,
            List<String> available,
            int size,
            int threads) {
        this.size = size;
        this.provenance = provenance;
        this.available = List.copyOf(available);
        this.session = open(label, model, threads);
        Selection selection = selectOrClose(requested, label);
        this.input = selection.input();
        this.layers = selection.layers();
        this.tensors = selection.tensors();
    }

    private record Selection(String input, Map<String, Integer> layers, Map<String, String> tensors) {}

    /** Checks the input and the requested tensors' shapes; closes the session when either is refused. */
    private Selection selectOrClose(List<String> requested, String fileName) {
        try {
            String in = checkInput(fileName);
            Map<String, Integer> selected = new LinkedHashMap<>();
            Map<String, String> tensors = new LinkedHashMap<>();
            Map<String, long[]> shapes = probe(in, new LinkedHashSet<>(requested));
            for (String layer : requested) {
                long[] shape = shapes.get(layer);
                if (shape.length != 4 && shape.length != 2) {
                    throw new BadInputException("layer '" + layer + "' of " + fileName + " has shape "
                            + Arrays.toString(shape) + "; only [N, C, H, W] (C neurons, spatial means) or [N, C]"
                            + " can be neurons: choose another tensor or reshape it in the exported model");
                }
                String stored = layerName(layer);
                String clash = tensors.putIfAbsent(stored, layer);
                if (clash != null) {
                    throw new BadInputException("--layers: '" + clash + "' and '" + layer
                            + "' would both be stored as '" + stored + "'; request only one of them");
                }
                selected.put(stored, (int) shape[1]);
            }
            return new Selection(in, selected, tensors);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A catalogue ResNet ({@code spec}) on {@code weights} (a torchvision state dict), built as an ONNX graph
     * ({@link ResNetOnnx}) and run by ONNX Runtime with {@code threads} intra-op threads (0 = one per core).
     */
    public static OnnxModel resnet(
            ModelSpec spec, Map<String, Tensor> weights, List<String> layers, String provenance, int threads) {
        Map<String, Integer> selected = spec.select(layers);
        ResNetArchitecture.of(spec).validate(weights, provenance);
        byte[] graph = ResNetOnnx.build(spec, weights, selected.keySet());
        return new OnnxModel(
                spec.name(),
                graph,
                provenance,
                List.copyOf(selected.keySet()),
                List.copyOf(spec.layers().keySet()),
                spec.preprocessing().crop(),
                threads);
    }

    /**
     * Loads {@code file}; {@code layers} name graph outputs or intermediate tensors; inputs are {@code size x size}
     * images; {@code threads} is ONNX Runtime's intra-op thread count (0 = its default, one per core).
     */
    public static OnnxModel load(Path file, List<String> layers, int size, int threads) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("--model " + file + ": no such file; give a catalogue name, a TorchScript file"
                    + " or an .onnx file");
        }
        if (layers.isEmpty()) {
            throw new BadInputException("--layers needs at least one output or tensor name of " + file.getFileName());
        }
        return new OnnxModel(file, layers, size, threads);
    }

    public static boolean isOnnx(String model) {
        return model.toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    private OrtSession open(String file, byte[] modified, int threads) {
        // a file is opened by its path, so that ONNX Runtime finds weights stored beside it (external data)
        try (OrtSession.SessionOptions options = Sessions.options(threads)) {
            return modified == null ? env.createSession(file, options) : env.createSession(modified, options);
        } catch (OrtException e) {
            throw new BadInputException(
                    "--model " + file + ": ONNX Runtime cannot load it (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    private String checkInput(String fileName) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1) {
                throw new BadInputException(fileName + " takes " + inputs.size() + " inputs " + inputs.keySet()
                        + "; hmn feeds one image batch (N x 3 x H x W float): export a model with a single input");
            }
            Map.Entry<String, NodeInfo> only = inputs.entrySet().iterator().next();
            TensorInfo info = only.getValue().getInfo() instanceof TensorInfo t ? t : null;
            long[] shape = info == null ? new long[0] : info.getShape();
            boolean ok = info != null
                    && info.type == OnnxJavaType.FLOAT
                    && shape.length == 4
                    && shape[1] == 3
                    && (shape[2] <= 0 || shape[2] == size)
                    && (shape[3] <= 0 || shape[3] == size);
            if (!ok) {
                throw new BadInputException(fileName + ": input '" + only.getKey() + "' is " + info
                        + "; hmn feeds float images N x 3 x " + size + " x " + size
                        + " (ImageNet preprocessing): export the model with that input");
            }
            return only.getKey();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the inputs of " + fileName, e);
        }
    }

    /** Runs one blank image to learn each requested tensor's shape. */
    private Map<String, long[]> probe(String in, Set<String> names) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        run(in, new float[3 * size * size], 1, names, (name, tensor) -> {
            values(name, tensor); // refuses a tensor of another type now rather than at the first batch
            shapes.put(name, tensor.getInfo().getShape());
            return null;
        });
        return shapes;
    }

    private interface Read {
        FloatMatrix apply(String name, OnnxTensor tensor);
    }

    private Map<String, FloatMatrix> run(String in, float[] data, int count, Set<String> names, Read read) {
        int length = count * 3 * size * size;
        if (inputBuffer == null || inputBuffer.capacity() < length) {
            inputBuffer = ByteBuffer.allocateDirect(length * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        inputBuffer.clear();
        inputBuffer.put(data, 0, length).flip();
        Map<String, FloatMatrix> out = new LinkedHashMap<>();
        try (OnnxTensor x = OnnxTensor.createTensor(env, inputBuffer, new long[] {count, 3, size, size});
                OrtSession.Result result = session.run(Map.of(in, x), names)) {
            for (String name : names) {
                OnnxValue value = result.get(name).orElseThrow();
                if (!(value instanceof OnnxTensor tensor)) {
                    throw new BadInputException("layer '" + name + "' is a " + value.getType()
                            + ", not a tensor; only tensors can be neurons");
                }
                out.put(name, read.apply(name, tensor));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + firstLine(e.getMessage()), e);
        }
        return out;
    }

    @Override
    public Map<String, FloatMatrix> activations(float[] input, int count) {
        Map<String, FloatMatrix> byTensor = run(
                this.input,
                input,
                count,
                new LinkedHashSet<>(tensors.values()),
                (name, tensor) -> pool(name, tensor, count));
        Map<String, FloatMatrix> out = new LinkedHashMap<>();
        tensors.forEach((stored, tensor) -> out.put(stored, byTensor.get(tensor)));
        return out;
    }

    /**
     * The name a tensor's activations are stored under (its .npy file, the graph's layer): the tensor's name with
     * every character other than a letter, digit, '_' or '.' replaced by '_', and '_' put before a leading digit or
     * '.' ("/net/Relu_output_0" becomes "_net_Relu_output_0").
     */
    public static String layerName(String tensor) {
        String name = tensor.replaceAll("[^A-Za-z0-9_.]", "_");
        return name.isEmpty() || !Character.isLetter(name.charAt(0)) && name.charAt(0) != '_' ? "_" + name : name;
    }

    /** Stored layer name to the tensor it holds, in request order. */
    public Map<String, String> tensors() {
        return tensors;
    }

    /** [N, C, H, W] to the channel means; [N, C] as it is; summed in double, stored as float. */
    private static FloatMatrix pool(String name, OnnxTensor tensor, int count) {
        long[] shape = tensor.getInfo().getShape();
        int channels = (int) shape[1];
        int spatial = shape.length == 4 ? Math.toIntExact(shape[2] * shape[3]) : 1;
        IntToDoubleFunction value = values(name, tensor);
        float[] out = new float[count * channels];
        for (int i = 0; i < out.length; i++) {
            double sum = 0;
            int base = i * spatial;
            for (int j = 0; j < spatial; j++) {
                sum += value.applyAsDouble(base + j);
            }
            out[i] = (float) (sum / spatial);
        }
        return new FloatMatrix(count, channels, out);
    }

    private static IntToDoubleFunction values(String name, OnnxTensor tensor) {
        OnnxJavaType type = tensor.getInfo().type;
        if (type == OnnxJavaType.FLOAT) {
            FloatBuffer b = tensor.getFloatBuffer();
            return b::get;
        }
        if (type == OnnxJavaType.DOUBLE) {
            DoubleBuffer b = tensor.getDoubleBuffer();
            return b::get;
        }
        throw new BadInputException(
                "layer '" + name + "' holds " + type + " values; only float and double tensors" + " can be neurons");
    }

    private static String sample(List<String> names) {
        if (names.size() <= LISTED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, LISTED / 2)) + ", ..., "
                + String.join(", ", names.subList(names.size() - LISTED / 2, names.size()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        String line = message.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl);
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
        return new int[] {3, size, size};
    }

    @Override
    public boolean channelsLastInput() {
        return false;
    }

    @Override
    public List<String> availableLayers() {
        return available;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new UncheckedIOException(new IOException("cannot close the ONNX session", e));
        }
    }
}
