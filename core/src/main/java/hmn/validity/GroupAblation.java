package hmn.validity;

import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import java.util.Arrays;

/**
 * The causal check of one cluster (DESIGN.md, "Validity"): its neuron group and its difference set (against its
 * parent) ablated on the first M = min(n_c, {@code imagesPerCluster}) of its images in collection order, against
 * seeded random sets of the same size, with specificity on the first M images outside it. The random sets' seed
 * depends on the run's seed and the cluster's id only, so a cluster's figures do not depend on which other clusters
 * are checked in the same run (a resumed run gives the same numbers).
 */
public final class GroupAblation {
    private GroupAblation() {}

    /** A cluster's figures; {@code difference} is null for a top cluster. */
    public record Outcome(
            String cluster,
            int level,
            int groupSize,
            AblationEffects.Result group,
            int differenceSize,
            AblationEffects.Result difference) {}

    public static Outcome of(
            Hierarchy hierarchy,
            LayerGroups groups,
            int collectionSize,
            AblationEffects ablation,
            int cluster,
            int imagesPerCluster,
            int randomSets,
            long seed) {
        if (imagesPerCluster < 1) {
            throw new IllegalArgumentException("imagesPerCluster must be >= 1, got " + imagesPerCluster);
        }
        int[] rows = hierarchy.rows(cluster); // ascending: collection order
        int[] inside = Arrays.copyOf(rows, Math.min(rows.length, imagesPerCluster));
        int[] outside = firstOutside(rows, collectionSize, inside.length);
        long clusterSeed = seed * 0x9E3779B97F4A7C15L + hierarchy.id(cluster).hashCode();
        int[] group = groups.group(cluster);
        AblationEffects.Result groupResult = ablation.ablate(inside, outside, group, randomSets, clusterSeed);
        AblationEffects.Result differenceResult = null;
        int differenceSize = 0;
        if (hierarchy.parent(cluster) >= 0) {
            int[] difference = groups.difference(cluster);
            differenceSize = difference.length;
            differenceResult = ablation.ablate(inside, outside, difference, randomSets, clusterSeed + 1);
        }
        return new Outcome(
                hierarchy.id(cluster),
                hierarchy.level(cluster),
                group.length,
                groupResult,
                differenceSize,
                differenceResult);
    }

    /** The first {@code count} rows of {@code 0 .. total - 1} that are not in the ascending {@code rows}. */
    static int[] firstOutside(int[] rows, int total, int count) {
        int[] out = new int[Math.min(count, total - rows.length)];
        int n = 0;
        int i = 0;
        for (int r = 0; r < total && n < out.length; r++) {
            while (i < rows.length && rows[i] < r) {
                i++;
            }
            if (i < rows.length && rows[i] == r) {
                continue;
            }
            out[n++] = r;
        }
        return out;
    }
}
