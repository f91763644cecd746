package hmn.finch;

import java.util.Arrays;

/**
 * FINCH's result: for each level (index 0 = level 1, the finest), one label per input row, labels numbered 0, 1, 2, ...
 * in order of first appearance. Each level's clusters are unions of the previous level's. {@code syntheticRoot} marks
 * a last level added by {@link #withSyntheticRoot()} (one cluster holding everything), which FINCH itself never makes.
 */
public record Partitions(int points, int[][] labels, int[] clusterCounts, boolean syntheticRoot) {
    public Partitions {
        if (labels.length != clusterCounts.length) {
            throw new IllegalArgumentException(
                    "labels for " + labels.length + " levels, counts for " + clusterCounts.length);
        }
        for (int[] level : labels) {
            if (level.length != points) {
                throw new IllegalArgumentException("a level has " + level.length + " labels for " + points + " points");
            }
        }
    }

    public int levels() {
        return labels.length;
    }

    /** Labels of level {@code level}, 1-based as in the output file (level 1 is the finest). */
    public int[] level(int level) {
        return labels[level - 1];
    }

    /** Clusters per level, finest first. */
    public int[] counts() {
        return clusterCounts.clone();
    }

    /** These partitions with one more level holding every point in cluster 0, unless the top already is one cluster. */
    public Partitions withSyntheticRoot() {
        if (clusterCounts.length > 0 && clusterCounts[clusterCounts.length - 1] == 1) {
            return this;
        }
        int[][] more = Arrays.copyOf(labels, labels.length + 1);
        more[labels.length] = new int[points];
        int[] counts = Arrays.copyOf(clusterCounts, clusterCounts.length + 1);
        counts[clusterCounts.length] = 1;
        return new Partitions(points, more, counts, true);
    }

    @Override
    public String toString() {
        return "Partitions[points=" + points + ", counts=" + Arrays.toString(clusterCounts) + ", syntheticRoot="
                + syntheticRoot + "]";
    }
}
