package hmn.validity;

import hmn.group.Bits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Whether a neuron group is real: enrichment against the collection, held-out precision and bootstrap stability, with
 * the exact definitions of DESIGN.md ("Validity"). Works on activated sets as {@link hmn.group.ActivatedSets#compute}
 * lays them out: {@code Bits.words(channels)} longs per image row.
 */
public final class GroupStatistics {
    /** Resamples of the bootstrap, as DESIGN.md fixes it. */
    public static final int BOOTSTRAP_RESAMPLES = 100;

    private GroupStatistics() {}

    /** K_j: how many images of the whole collection activate each channel. */
    public static int[] collectionCounts(long[] activated, int rows, int channels) {
        int words = Bits.words(channels);
        int[] counts = new int[channels];
        for (int r = 0; r < rows; r++) {
            Bits.addTo(counts, 0, activated, r * words, words);
        }
        return counts;
    }

    /** a_j over the given image rows. */
    public static int[] counts(long[] activated, int channels, int[] rows) {
        int words = Bits.words(channels);
        int[] counts = new int[channels];
        for (int r : rows) {
            Bits.addTo(counts, 0, activated, r * words, words);
        }
        return counts;
    }

    /**
     * Every channel's statistics for a cluster of {@code clusterSize} images with counts a_j(c), in a collection of
     * {@code collectionSize} images with counts K_j; q adjusts the p of all channels given.
     */
    public static List<NeuronStatistics> neurons(
            int[] clusterCounts, int clusterSize, int[] collectionCounts, int collectionSize) {
        if (clusterCounts.length != collectionCounts.length) {
            throw new IllegalArgumentException("cluster counts cover " + clusterCounts.length + " channels, collection "
                    + "counts " + collectionCounts.length);
        }
        if (clusterSize < 1 || clusterSize > collectionSize) {
            throw new IllegalArgumentException(
                    "cluster size must be in [1, " + collectionSize + "], got " + clusterSize);
        }
        int channels = clusterCounts.length;
        double[] p = new double[channels];
        for (int j = 0; j < channels; j++) {
            p[j] = Hypergeometric.upperTail(collectionSize, collectionCounts[j], clusterSize, clusterCounts[j]);
        }
        double[] q = BenjaminiHochberg.adjust(p);
        List<NeuronStatistics> out = new ArrayList<>(channels);
        for (int j = 0; j < channels; j++) {
            double support = clusterCounts[j] / (double) clusterSize;
            double baseRate = collectionCounts[j] / (double) collectionSize;
            Double lift = collectionCounts[j] == 0 ? null : support / baseRate;
            out.add(new NeuronStatistics(j, clusterCounts[j], support, baseRate, lift, p[j], q[j]));
        }
        return out;
    }

    /** The median lift of the group's neurons (those with a lift), or null when none has one. */
    public static Double medianLift(List<NeuronStatistics> statistics, int[] group) {
        return median(
                Arrays.stream(group).mapToObj(j -> statistics.get(j).lift()).toList());
    }

    /** The median of the values that are neither null nor NaN (the mean of the middle two for an even count). */
    public static Double median(java.util.Collection<Double> values) {
        double[] v = values.stream()
                .filter(x -> x != null && !x.isNaN())
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        if (v.length == 0) {
            return null;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** The neurons whose support over {@code rows} reaches {@code support} (the support rule), ascending. */
    public static int[] supportGroup(long[] activated, int channels, int[] rows, double support) {
        int[] counts = counts(activated, channels, rows);
        return java.util.stream.IntStream.range(0, channels)
                .filter(j -> counts[j] / (double) rows.length >= support)
                .toArray();
    }

    /**
     * Held-out precision (n_c >= 4): the cluster's rows in collection order split into even and odd positions, A and
     * B; G_A, G_B their groups by the support rule; (|G_A ∩ G_B| / |G_A| + |G_A ∩ G_B| / |G_B|) / 2. Null when the
     * cluster has fewer than 4 images or G_A or G_B is empty.
     */
    public static Double heldOutPrecision(long[] activated, int channels, int[] rows, double support) {
        if (rows.length < 4) {
            return null;
        }
        int[] sorted = rows.clone();
        Arrays.sort(sorted);
        int[] a = new int[(sorted.length + 1) / 2];
        int[] b = new int[sorted.length / 2];
        for (int i = 0; i < sorted.length; i++) {
            if (i % 2 == 0) {
                a[i / 2] = sorted[i];
            } else {
                b[i / 2] = sorted[i];
            }
        }
        int[] groupA = supportGroup(activated, channels, a, support);
        int[] groupB = supportGroup(activated, channels, b, support);
        if (groupA.length == 0 || groupB.length == 0) {
            return null;
        }
        int both = intersection(groupA, groupB);
        return (both / (double) groupA.length + both / (double) groupB.length) / 2;
    }

    /**
     * Bootstrap stability: {@code resamples} draws of the cluster's images with replacement (seeded), each grouped by
     * the support rule; the mean Jaccard index with the support-rule group on all of them (two empty groups count as 1).
     */
    public static double stability(
            long[] activated, int channels, int[] rows, double support, long seed, int resamples) {
        if (rows.length == 0 || resamples < 1) {
            throw new IllegalArgumentException(
                    "need images and resamples >= 1, got " + rows.length + " images and " + resamples + " resamples");
        }
        int[] full = supportGroup(activated, channels, rows, support);
        SplittableRandom random = new SplittableRandom(seed);
        int[] draw = new int[rows.length];
        double sum = 0;
        for (int s = 0; s < resamples; s++) {
            for (int i = 0; i < draw.length; i++) {
                draw[i] = rows[random.nextInt(rows.length)];
            }
            sum += jaccard(full, supportGroup(activated, channels, draw, support));
        }
        return sum / resamples;
    }

    /** Each channel's contrast and p-value for a child cluster under its parent (counts over each one's images). */
    public static List<DifferenceStatistics> difference(
            int[] childCounts, int childSize, int[] parentCounts, int parentSize) {
        if (childSize < 1 || childSize > parentSize) {
            throw new IllegalArgumentException("child size must be in [1, " + parentSize + "], got " + childSize);
        }
        int outside = parentSize - childSize;
        List<DifferenceStatistics> out = new ArrayList<>(childCounts.length);
        for (int j = 0; j < childCounts.length; j++) {
            Double contrast = outside == 0
                    ? null
                    : childCounts[j] / (double) childSize - (parentCounts[j] - childCounts[j]) / (double) outside;
            out.add(new DifferenceStatistics(
                    j, contrast, Hypergeometric.upperTail(parentSize, parentCounts[j], childSize, childCounts[j])));
        }
        return out;
    }

    /**
     * A difference set's summary in one layer, as the DIFFERS_BY edges carry it: the mean contrast of its neurons
     * (those with a contrast) and their smallest p; NaN where the set has none.
     */
    public static double[] differenceSummary(
            int[] childCounts, int childSize, int[] parentCounts, int parentSize, int[] difference) {
        if (difference.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        List<DifferenceStatistics> stats = difference(childCounts, childSize, parentCounts, parentSize);
        double sum = 0;
        int n = 0;
        double minP = Double.POSITIVE_INFINITY;
        for (int j : difference) {
            DifferenceStatistics s = stats.get(j);
            if (s.contrast() != null) {
                sum += s.contrast();
                n++;
            }
            minP = Math.min(minP, s.p());
        }
        return new double[] {n == 0 ? Double.NaN : sum / n, minP};
    }

    /** |a ∩ b| / |a ∪ b| of two ascending index sets; 1 when both are empty. */
    public static double jaccard(int[] a, int[] b) {
        int both = intersection(a, b);
        int either = a.length + b.length - both;
        return either == 0 ? 1.0 : both / (double) either;
    }

    private static int intersection(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        int both = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                both++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return both;
    }
}
