package hmn.runtime.torch;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import hmn.core.BadInputException;
import hmn.io.FloatMatrix;
import hmn.runtime.ActivationModel;
import hmn.runtime.weights.WeightsSource;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Any TorchScript model (DJL's PyTorch engine) whose forward takes an N x 3 x H x W image batch and returns named
 * outputs (a dict of tensors; a tuple's outputs are named "0", "1", ...). Each requested output is a layer: a
 * feature map (N x C x H x W) is reduced to its channel means, a vector (N x C) used as it is. Intermediate tensors
 * that the model does not return are not reachable: script the model so that its forward returns them.
 */
public final class TorchScriptModel implements ActivationModel {
    private final Model model;
    private final NDManager manager;
    private final int size;
    private final Map<String, Integer> layers;
    private final List<String> available;
    private final String provenance;

    private TorchScriptModel(Path file, List<String> requested, int size) {
        this.size = size;
        this.provenance = "torchscript:" + file.getFileName() + " sha256=" + WeightsSource.sha256(file);
        this.model = Model.newInstance(file.getFileName().toString(), "PyTorch");
        try {
            model.load(file.toAbsolutePath().getParent(), file.getFileName().toString());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new BadInputException(
                    file + ": cannot load as a TorchScript model (" + e.getMessage()
                            + "); save it with torch.jit.script(model).save(path) or torch.jit.trace",
                    e);
        }
        this.manager = model.getNDManager().newSubManager();
        Map<String, Integer> channels = probe();
        this.available = List.copyOf(channels.keySet());
        Map<String, Integer> selected = new LinkedHashMap<>();
        for (String layer : requested) {
            Integer c = channels.get(layer);
            if (c == null) {
                close();
                throw new BadInputException("unknown layer '" + layer + "' for " + file.getFileName()
                        + "; its forward returns: " + String.join(", ", available));
            }
            selected.put(layer, c);
        }
        this.layers = selected;
    }

    /** Loads {@code file}; {@code layers} name the forward's outputs; inputs are {@code size x size} images. */
    public static TorchScriptModel load(Path file, List<String> layers, int size) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(
                    "--model " + file + ": no such file; give a catalogue name or a TorchScript file");
        }
        return new TorchScriptModel(file, layers, size);
    }

    /**
     * As {@link #load}, for numbers a user will see: each new batch size first proves libtorch's convolutions on this
     * CPU ({@link LibtorchCanary}); a refuted libtorch ends the run instead of giving wrong activations.
     */
    public static CrossCheckedModel checked(Path file, List<String> layers, int size) {
        TorchScriptModel model = load(file, layers, size);
        return new CrossCheckedModel(
                List.of(new CrossCheckedModel.Candidate("TorchScript", model)), new LibtorchCanary(), note -> {});
    }

    /** Runs one blank image to learn the outputs' names and channel counts. */
    private Map<String, Integer> probe() {
        Map<String, Integer> channels = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e :
                forward(new float[3 * size * size], 1, (name, array) -> array).entrySet()) {
            Shape s = e.getValue().getShape();
            if (s.dimension() == 4 || s.dimension() == 2) {
                channels.put(e.getKey(), (int) s.get(1));
            }
        }
        return channels;
    }

    private interface Reduce {
        NDArray apply(String name, NDArray output);
    }

    private Map<String, NDArray> forward(float[] input, int count, Reduce reduce) {
        JniUtils.setGradMode(false);
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDManager batch = manager.newSubManager();
        try {
            NDArray x =
                    batch.create(FloatBuffer.wrap(input, 0, count * 3 * size * size), new Shape(count, 3, size, size));
            NDList result = model.getBlock().forward(new ParameterStore(batch, false), new NDList(x), false);
            for (int i = 0; i < result.size(); i++) {
                NDArray a = result.get(i);
                String name = a.getName() != null && !a.getName().isEmpty() ? a.getName() : String.valueOf(i);
                out.put(name, reduce.apply(name, a));
            }
            for (NDArray a : out.values()) {
                a.detach();
            }
        } finally {
            batch.close();
        }
        return out;
    }

    @Override
    public Map<String, FloatMatrix> activations(float[] input, int count) {
        Map<String, NDArray> pooled = forward(input, count, (name, a) -> {
            if (!layers.containsKey(name)) {
                return a;
            }
            return a.getShape().dimension() == 4
                    ? a.reshape(count, a.getShape().get(1), -1).mean(new int[] {2})
                    : a;
        });
        Map<String, FloatMatrix> out = new LinkedHashMap<>();
        List<NDArray> toClose = new ArrayList<>(pooled.values());
        for (String layer : layers.keySet()) {
            float[] values = pooled.get(layer).toFloatArray();
            out.put(layer, new FloatMatrix(count, values.length / count, values));
        }
        toClose.forEach(NDArray::close);
        return out;
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
        manager.close();
        model.close();
    }
}
