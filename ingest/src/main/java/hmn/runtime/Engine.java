package hmn.runtime;

import hmn.core.BadInputException;
import java.util.Locale;

/**
 * What runs a catalogue model's forward: ONNX Runtime on a graph hmn builds from the weights ({@code hmn.runtime.onnx.ResNetOnnx}), or
 * PyTorch through DJL ({@code hmn.runtime.torch.TorchvisionResNet}). Both compute torchvision's forward; they differ by float rounding.
 */
public enum Engine {
    ONNXRUNTIME,
    PYTORCH;

    /** The name used on the command line and in {@code run.json}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code onnxruntime} or {@code pytorch} (any case). */
    public static Engine parse(String text) {
        for (Engine e : values()) {
            if (e.id().equalsIgnoreCase(text.strip())) {
                return e;
            }
        }
        throw new BadInputException("--engine must be onnxruntime or pytorch, got '" + text + "'");
    }
}
