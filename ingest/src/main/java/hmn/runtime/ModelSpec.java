package hmn.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import hmn.images.ImageNetPreprocessing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the model catalogue ({@code models/<name>.json}): the architecture, the layers exposed as neurons
 * (name to channel count, in forward order), the preprocessing and where the weights come from.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
        String name,
        String description,
        String architecture,
        String block,
        List<Integer> blocks,
        long parameters,
        LinkedHashMap<String, Integer> layers,
        List<String> defaultLayers,
        Preprocessing preprocessing,
        Weights weights) {

    public static final String TORCHVISION_RESNET = "torchvision-resnet";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Preprocessing(
            int resizeShorter, int crop, String interpolation, List<Double> mean, List<Double> std) {
        public ImageNetPreprocessing toTransform() {
            if (!"bilinear-antialias".equals(interpolation)) {
                throw new IllegalArgumentException(
                        "interpolation '" + interpolation + "' is not supported; use bilinear-antialias");
            }
            return new ImageNetPreprocessing(resizeShorter, crop, floats(mean), floats(std));
        }

        private static float[] floats(List<Double> values) {
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i).floatValue();
            }
            return out;
        }
    }

    /** Where the weights come from. {@code sha256} is the full digest, or a prefix of at least 8 hex digits. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Weights(String name, String url, String sha256, String format, String license) {}

    public ModelSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a catalogue entry needs a name");
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("catalogue entry " + name + " lists no layers");
        }
        if (TORCHVISION_RESNET.equals(architecture)) {
            if (blocks == null || blocks.size() != 4) {
                throw new IllegalArgumentException("catalogue entry " + name + ": blocks needs 4 stage depths");
            }
            if (!"basic".equals(block) && !"bottleneck".equals(block)) {
                throw new IllegalArgumentException(
                        "catalogue entry " + name + ": block must be basic or bottleneck, got " + block);
            }
        }
        defaultLayers =
                defaultLayers == null ? List.of(layers.keySet().iterator().next()) : List.copyOf(defaultLayers);
    }

    /** Checks requested layer names; an unknown one is a bad input naming the available layers. */
    public Map<String, Integer> select(List<String> requested) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String layer : requested) {
            Integer channels = layers.get(layer);
            if (channels == null) {
                throw new hmn.core.BadInputException("unknown layer '" + layer + "' for model " + name + "; available: "
                        + String.join(", ", layers.keySet()));
            }
            out.put(layer, channels);
        }
        if (out.isEmpty()) {
            throw new hmn.core.BadInputException(
                    "no layers requested; available for " + name + ": " + String.join(", ", layers.keySet()));
        }
        return out;
    }
}
