package hmn.group;

import java.util.stream.IntStream;

/**
 * For one layer and one activated-set size: how many of each cluster's images activate each neuron. It does not
 * depend on the support threshold or the mode, so every group computed at the same {@code top} shares it.
 */
public final class SupportCounts {

    private static final int PARALLEL_CLUSTERS = 256;

    private final Hierarchy hierarchy;
    private final int channels;
    private final int[] counts;

    private SupportCounts(Hierarchy hierarchy, int channels, int[] counts) {
        this.hierarchy = hierarchy;
        this.channels = channels;
        this.counts = counts;
    }

    /**
     * Counts over the activated sets of all images ({@link ActivatedSets#compute}: {@code Bits.words(channels)}
     * longs per image row).
     */
    public static SupportCounts compute(Hierarchy hierarchy, long[] activated, int channels) {
        int words = Bits.words(channels);
        if (activated.length != (long) hierarchy.imageCount() * words) {
            throw new IllegalArgumentException("activated sets cover " + activated.length / Math.max(1, words)
                    + " images, the hierarchy " + hierarchy.imageCount());
        }
        int[] counts = new int[hierarchy.size() * channels];
        IntStream clusters = IntStream.range(0, hierarchy.size());
        if (hierarchy.size() >= PARALLEL_CLUSTERS) {
            clusters = clusters.parallel();
        }
        clusters.forEach(c -> {
            int base = c * channels;
            for (int row : hierarchy.rowsView(c)) {
                Bits.addTo(counts, base, activated, row * words, words);
            }
        });
        return new SupportCounts(hierarchy, channels, counts);
    }

    /**
     * Counts computed elsewhere ({@link SupportCountsSource}): {@code counts[c * channels + j]} for cluster c and
     * neuron j, each between 0 and the cluster's image count.
     */
    public static SupportCounts of(Hierarchy hierarchy, int channels, int[] counts) {
        if (counts.length != hierarchy.size() * channels) {
            throw new IllegalArgumentException("counts has " + counts.length + " values, the hierarchy's "
                    + hierarchy.size() + " clusters x " + channels + " channels need " + hierarchy.size() * channels);
        }
        for (int c = 0; c < hierarchy.size(); c++) {
            for (int j = 0; j < channels; j++) {
                int n = counts[c * channels + j];
                if (n < 0 || n > hierarchy.imageCount(c)) {
                    throw new IllegalArgumentException("count " + n + " of neuron " + j + " in cluster "
                            + hierarchy.id(c) + " is outside 0.." + hierarchy.imageCount(c));
                }
            }
        }
        return new SupportCounts(hierarchy, channels, counts.clone());
    }

    public Hierarchy hierarchy() {
        return hierarchy;
    }

    public int channels() {
        return channels;
    }

    /** The number of the cluster's images whose activated set holds the neuron. */
    public int count(int cluster, int neuron) {
        return counts[cluster * channels + neuron];
    }

    /** The cluster's counts for every neuron, a copy. */
    public int[] row(int cluster) {
        return java.util.Arrays.copyOfRange(counts, cluster * channels, (cluster + 1) * channels);
    }

    /** count / |cluster|, the support reported for a neuron whatever the mode (NaN for an empty cluster). */
    public double support(int cluster, int neuron) {
        return count(cluster, neuron) / (double) hierarchy.imageCount(cluster);
    }

    /** Whether the neuron's support reaches the threshold, compared literally as count / (double) size >= support. */
    boolean reaches(int cluster, int neuron, double threshold) {
        return count(cluster, neuron) / (double) hierarchy.imageCount(cluster) >= threshold;
    }
}
