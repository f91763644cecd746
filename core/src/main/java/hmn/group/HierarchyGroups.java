package hmn.group;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The neuron groups and difference sets of every cluster of a hierarchy, for one config and several layers: what
 * {@code hmn.materialize} writes as USES and INCLUDES edges, held flat in cluster order so that an importer can
 * write them without a transaction. USES k: cluster {@link #usesCluster(int)}, layer index, channel, support;
 * difference set d, one per cluster with a parent: that cluster, its parent and the set's size; INCLUDES k:
 * difference set, layer index, channel.
 */
public final class HierarchyGroups {
    private final int[] usesCluster;
    private final int[] usesLayer;
    private final int[] usesChannel;
    private final double[] usesSupport;
    private final int[] setCluster;
    private final int[] setParent;
    private final int[] setSize;
    private final int[] includesSet;
    private final int[] includesLayer;
    private final int[] includesChannel;
    private final SupportCounts[] counts;
    private final int[][] collection;
    private final LayerGroups[] layerGroups;

    private HierarchyGroups(
            List<int[]> uses,
            List<Double> support,
            List<int[]> sets,
            List<int[]> includes,
            SupportCounts[] counts,
            int[][] collection,
            LayerGroups[] layerGroups) {
        this.layerGroups = layerGroups;
        this.counts = counts;
        this.collection = collection;
        usesCluster = column(uses, 0);
        usesLayer = column(uses, 1);
        usesChannel = column(uses, 2);
        usesSupport = support.stream().mapToDouble(Double::doubleValue).toArray();
        setCluster = column(sets, 0);
        setParent = column(sets, 1);
        setSize = column(sets, 2);
        includesSet = column(includes, 0);
        includesLayer = column(includes, 1);
        includesChannel = column(includes, 2);
    }

    private static int[] column(List<int[]> rows, int c) {
        int[] out = new int[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[c];
        }
        return out;
    }

    /**
     * Computes every cluster's group per layer (layers in parallel) and every child's difference set.
     *
     * @param layers the layers' activations (rows = the hierarchy's image rows), in layer order
     * @param config top, support and mode; its layer is not consulted (every given layer is computed)
     */
    public static HierarchyGroups compute(Hierarchy h, List<LayerActivations> layers, GroupConfig config) {
        return compute(h, layers, config, a -> null);
    }

    /**
     * As {@link #compute(Hierarchy, List, GroupConfig)}, with each layer's support counts taken from {@code given}
     * where it returns them (asked layer by layer, in order) and counted here where it returns null.
     */
    public static HierarchyGroups compute(
            Hierarchy h,
            List<LayerActivations> layers,
            GroupConfig config,
            java.util.function.Function<LayerActivations, SupportCounts> given) {
        LayerGroups[] groups = new LayerGroups[layers.size()];
        SupportCounts[] counts = new SupportCounts[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            counts[l] = given.apply(layers.get(l));
        }
        int[][] collection = new int[layers.size()][];
        IntStream.range(0, layers.size()).parallel().forEach(l -> {
            LayerActivations a = layers.get(l);
            long[] activated = config.activatedSets(a);
            if (counts[l] == null) {
                counts[l] = SupportCounts.compute(h, activated, a.channels());
            }
            collection[l] = new int[a.channels()];
            int words = Bits.words(a.channels());
            for (int r = 0; r < h.imageCount(); r++) {
                Bits.addTo(collection[l], 0, activated, r * words, words);
            }
            groups[l] = LayerGroups.compute(counts[l], config.support(), config.mode());
        });

        List<int[]> uses = new ArrayList<>();
        List<Double> support = new ArrayList<>();
        List<int[]> sets = new ArrayList<>();
        List<int[]> includes = new ArrayList<>();
        for (int c = 0; c < h.size(); c++) {
            for (int l = 0; l < groups.length; l++) {
                for (int n : groups[l].group(c)) {
                    uses.add(new int[] {c, l, n});
                    support.add(groups[l].support(c, n));
                }
            }
            int parent = h.parent(c);
            if (parent >= 0) {
                int set = sets.size();
                int size = 0;
                for (int l = 0; l < groups.length; l++) {
                    for (int n : groups[l].difference(c)) {
                        includes.add(new int[] {set, l, n});
                        size++;
                    }
                }
                sets.add(new int[] {c, parent, size});
            }
        }
        return new HierarchyGroups(uses, support, sets, includes, counts, collection, groups);
    }

    /** The support counts of layer {@code l} (every cluster's count of every neuron). */
    public SupportCounts counts(int l) {
        return counts[l];
    }

    /** K_j of layer {@code l}: how many images of the hierarchy activate each neuron. */
    public int[] collectionCounts(int l) {
        return collection[l].clone();
    }

    /** The difference neurons of {@code cluster} in layer {@code l} (its group minus its parent's), ascending. */
    public int[] difference(int l, int cluster) {
        return layerGroups[l].difference(cluster);
    }

    public int layerCount() {
        return counts.length;
    }

    public int usesCount() {
        return usesCluster.length;
    }

    public int usesCluster(int k) {
        return usesCluster[k];
    }

    public int usesLayer(int k) {
        return usesLayer[k];
    }

    public int usesChannel(int k) {
        return usesChannel[k];
    }

    public double usesSupport(int k) {
        return usesSupport[k];
    }

    /** The number of difference sets: one per cluster with a parent. */
    public int setCount() {
        return setCluster.length;
    }

    public int setCluster(int d) {
        return setCluster[d];
    }

    public int setParent(int d) {
        return setParent[d];
    }

    /** The set's neurons over every layer. */
    public int setSize(int d) {
        return setSize[d];
    }

    public int includesCount() {
        return includesSet.length;
    }

    public int includesSet(int k) {
        return includesSet[k];
    }

    public int includesLayer(int k) {
        return includesLayer[k];
    }

    public int includesChannel(int k) {
        return includesChannel[k];
    }
}
