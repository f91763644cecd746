package hmn.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The neuron groups of every cluster for one layer and one config: level-1 clusters (clusters without child
 * clusters) by support; the others by the intersection of their children's groups, or by support in mode
 * {@link Mode#SUPPORT}. Immutable; the per-neuron index for {@link #clustersUsing} is built on first use.
 */
public final class LayerGroups {

    private final SupportCounts counts;
    private final Hierarchy hierarchy;
    private final int channels;
    private final int words;
    private final long[] groups;
    private volatile int[][] byNeuron;

    private LayerGroups(SupportCounts counts, long[] groups) {
        this.counts = counts;
        this.hierarchy = counts.hierarchy();
        this.channels = counts.channels();
        this.words = Bits.words(channels);
        this.groups = groups;
    }

    public static LayerGroups compute(SupportCounts counts, double support, Mode mode) {
        Hierarchy h = counts.hierarchy();
        int channels = counts.channels();
        int words = Bits.words(channels);
        long[] groups = new long[h.size() * words];
        for (int c : h.bottomUp()) {
            int[] kids = h.childrenView(c);
            int base = c * words;
            if (mode == Mode.INTERSECTION && kids.length > 0) {
                System.arraycopy(groups, kids[0] * words, groups, base, words);
                for (int i = 1; i < kids.length; i++) {
                    int kid = kids[i] * words;
                    for (int w = 0; w < words; w++) {
                        groups[base + w] &= groups[kid + w];
                    }
                }
            } else {
                for (int n = 0; n < channels; n++) {
                    if (counts.reaches(c, n, support)) {
                        Bits.set(groups, base, n);
                    }
                }
            }
        }
        return new LayerGroups(counts, groups);
    }

    public Hierarchy hierarchy() {
        return hierarchy;
    }

    public int channels() {
        return channels;
    }

    public boolean contains(int cluster, int neuron) {
        return Bits.get(groups, cluster * words, neuron);
    }

    /** The cluster's group, ascending neuron indices. */
    public int[] group(int cluster) {
        return Bits.indices(groups, cluster * words, words);
    }

    /** The fraction of the cluster's images that activate the neuron. */
    public double support(int cluster, int neuron) {
        return counts.support(cluster, neuron);
    }

    /** group(cluster) minus group(parent); empty for a cluster without a parent. */
    public int[] difference(int cluster) {
        int parent = hierarchy.parent(cluster);
        if (parent < 0) {
            return new int[0];
        }
        long[] diff = new long[words];
        for (int w = 0; w < words; w++) {
            diff[w] = groups[cluster * words + w] & ~groups[parent * words + w];
        }
        return Bits.indices(diff, 0, words);
    }

    /** The neurons of the union of both groups, each with its side. */
    public Comparison compare(int a, int b) {
        long[] both = new long[words];
        long[] onlyA = new long[words];
        long[] onlyB = new long[words];
        for (int w = 0; w < words; w++) {
            long x = groups[a * words + w];
            long y = groups[b * words + w];
            both[w] = x & y;
            onlyA[w] = x & ~y;
            onlyB[w] = y & ~x;
        }
        return new Comparison(
                Bits.indices(both, 0, words), Bits.indices(onlyA, 0, words), Bits.indices(onlyB, 0, words));
    }

    /** The clusters whose group holds the neuron: by level, then support (highest first), then id. */
    public int[] clustersUsing(int neuron) {
        int[][] index = byNeuron;
        if (index == null) {
            synchronized (this) {
                index = byNeuron;
                if (index == null) {
                    index = buildIndex();
                    byNeuron = index;
                }
            }
        }
        return index[neuron].clone();
    }

    private int[][] buildIndex() {
        List<List<Integer>> lists = new ArrayList<>();
        for (int n = 0; n < channels; n++) {
            lists.add(new ArrayList<>());
        }
        for (int c = 0; c < hierarchy.size(); c++) {
            for (int n : group(c)) {
                lists.get(n).add(c);
            }
        }
        int[][] index = new int[channels][];
        for (int n = 0; n < channels; n++) {
            int neuron = n;
            index[n] = lists.get(n).stream()
                    .sorted(Comparator.<Integer>comparingInt(hierarchy::level)
                            .thenComparing(c -> -counts.support(c, neuron))
                            .thenComparing(hierarchy::id))
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
        return index;
    }

    /** The result of {@link #compare}: neurons in both groups, only in the first, only in the second. */
    public record Comparison(int[] both, int[] onlyA, int[] onlyB) {}
}
