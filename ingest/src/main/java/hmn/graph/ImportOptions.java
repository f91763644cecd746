package hmn.graph;

import hmn.group.GroupConfig;
import hmn.group.SupportCountsSource;

/**
 * What an import computes and records.
 *
 * @param groups top (the ACTIVATES edges' activated sets), support and mode of the imported neuron groups, validated
 *     where they were parsed; its layer is not used (every imported layer is analysed)
 * @param syntheticRoot add a synthetic root level when the top level has more than one cluster
 * @param model the name of the model under study (the Model node)
 * @param captionSource where the image captions came from (their Caption nodes' {@code model})
 * @param supportCounts where the groups' support counts come from, or null to count them in this JVM
 */
public record ImportOptions(
        GroupConfig groups,
        boolean syntheticRoot,
        String model,
        String captionSource,
        SupportCountsSource supportCounts) {
    public ImportOptions {
        if (groups == null) {
            throw new IllegalArgumentException("groups must be a group config, got null");
        }
    }

    public ImportOptions(GroupConfig groups, boolean syntheticRoot, String model, String captionSource) {
        this(groups, syntheticRoot, model, captionSource, null);
    }

    /** These options with the support counts taken from {@code source}. */
    public ImportOptions withSupportCounts(SupportCountsSource source) {
        return new ImportOptions(groups, syntheticRoot, model, captionSource, source);
    }

    public static ImportOptions defaults() {
        return new ImportOptions(GroupConfig.DEFAULTS, true, "resnet18", "import");
    }
}
