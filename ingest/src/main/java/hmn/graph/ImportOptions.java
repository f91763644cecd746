package hmn.graph;

import hmn.group.GroupConfig;

/**
 * What an import computes and records.
 *
 * @param groups top (the ACTIVATES edges' activated sets), support and mode of the imported neuron groups, validated
 *     where they were parsed; its layer is not used (every imported layer is analysed)
 * @param syntheticRoot add a synthetic root level when the top level has more than one cluster
 * @param model the name of the model under study (the Model node)
 * @param captionSource where the image captions came from (their Caption nodes' {@code model})
 */
public record ImportOptions(GroupConfig groups, boolean syntheticRoot, String model, String captionSource) {
    public ImportOptions {
        if (groups == null) {
            throw new IllegalArgumentException("groups must be a group config, got null");
        }
    }

    public static ImportOptions defaults() {
        return new ImportOptions(GroupConfig.DEFAULTS, true, "resnet18", "import");
    }
}
