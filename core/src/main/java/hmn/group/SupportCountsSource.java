package hmn.group;

import java.util.List;

/**
 * Where a layer's support counts come from when they are not counted from activations held in this JVM: e.g. an
 * aggregation on Apache Spark over activations stored as a table. What it returns must equal
 * {@link SupportCounts#compute} on the same activated sets.
 */
@FunctionalInterface
public interface SupportCountsSource {
    /**
     * The counts of {@code layer} ({@code channels} neurons) for {@code hierarchy}, whose image row r is
     * {@code images.get(r)}, with the activated sets of {@code config}; null when this source cannot compute them
     * for that config (they are then counted in this JVM).
     */
    SupportCounts counts(Hierarchy hierarchy, List<String> images, String layer, int channels, GroupConfig config);
}
