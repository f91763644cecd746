package hmn.graph;

/**
 * What an import computes and records.
 *
 * @param top the fraction of a layer's channels in an image's activated set (ACTIVATES edges), in (0, 1]
 * @param support the fraction of a cluster's images that must activate a neuron for its group, in (0, 1]
 * @param mode how higher levels get their groups: "intersection" (the children's groups) or "support"
 * @param syntheticRoot add a synthetic root level when the top level has more than one cluster
 * @param model the name of the model under study (the Model node)
 * @param captionSource where the image captions came from (their Caption nodes' {@code model})
 */
public record ImportOptions(double top, double support, String mode, boolean syntheticRoot, String model,
        String captionSource) {
    public static final double DEFAULT_TOP = 0.10;
    public static final double DEFAULT_SUPPORT = 0.5;
    public static final String DEFAULT_MODE = "intersection";

    public ImportOptions {
        if (!(top > 0 && top <= 1)) {
            throw new IllegalArgumentException("top must be in (0, 1], got " + top);
        }
        if (!(support > 0 && support <= 1)) {
            throw new IllegalArgumentException("support must be in (0, 1], got " + support);
        }
        if (!mode.equals("intersection") && !mode.equals("support")) {
            throw new IllegalArgumentException("mode must be one of [intersection, support], got '" + mode + "'");
        }
    }

    public static ImportOptions defaults() {
        return new ImportOptions(DEFAULT_TOP, DEFAULT_SUPPORT, DEFAULT_MODE, true, "resnet18", "import");
    }
}
