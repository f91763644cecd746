package hmn.graph;

import hmn.group.GroupConfig;
import hmn.group.LayerActivations;
import hmn.group.LayerGroups;
import hmn.group.Mode;
import hmn.group.SupportCounts;
import hmn.io.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The neuron groups and difference sets of a new graph, computed before the import with the same algebra as the
 * {@code hmn.*} procedures (hmn.group), so that the imported USES and INCLUDES edges are exactly what
 * {@code hmn.materialize} would write for the import's config. Edges are held flat, in cluster order.
 */
final class NeuronGroups {
    /** USES edges: cluster index (in {@link #clusters} order), layer index, channel, support. */
    final int[] usesCluster;
    final int[] usesLayer;
    final int[] usesChannel;
    final double[] usesSupport;
    /** Difference sets, one per cluster with a parent: the cluster's index, its parent's, and the set's size. */
    final int[] setCluster;
    final int[] setParent;
    final int[] setSize;
    /** INCLUDES edges: difference set index, layer index, channel. */
    final int[] includesSet;
    final int[] includesLayer;
    final int[] includesChannel;
    final long millis;

    private NeuronGroups(List<int[]> uses, List<Double> support, List<int[]> sets, List<int[]> includes, long millis) {
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
        this.millis = millis;
    }

    private static int[] column(List<int[]> rows, int c) {
        int[] out = new int[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[c];
        }
        return out;
    }

    /**
     * Computes every cluster's group per layer and every child's difference set.
     *
     * @param clusters all clusters, level by level; their index here is their index in the result
     * @param layers the activation matrices (rows = images), in layer order
     */
    static NeuronGroups compute(List<Hierarchy.Cluster> clusters, int images, List<FloatMatrix> layers,
            ImportOptions options) {
        long start = System.nanoTime();
        hmn.group.Hierarchy.Builder builder = hmn.group.Hierarchy.builder().images(images);
        for (Hierarchy.Cluster c : clusters) {
            builder.cluster(c.id(), c.level(), null);
        }
        for (Hierarchy.Cluster c : clusters) {
            for (String child : c.children()) {
                builder.child(c.id(), child);
            }
            if (c.level() == 1) {
                for (int row : c.rows()) {
                    builder.image(c.id(), row);
                }
            }
        }
        hmn.group.Hierarchy h = builder.build();
        GroupConfig config = GroupConfig.of(Map.of("top", options.top(), "support", options.support(),
                "mode", options.mode()));
        Mode mode = config.mode();
        LayerGroups[] groups = new LayerGroups[layers.size()];
        IntStream.range(0, layers.size()).parallel().forEach(l -> {
            FloatMatrix m = layers.get(l);
            LayerActivations activations = new LayerActivations("layer" + l, m.cols(), m.rows(), m.data());
            SupportCounts counts = SupportCounts.compute(h, activations.activatedSets(config.k(m.cols())), m.cols());
            groups[l] = LayerGroups.compute(counts, config.support(), mode);
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
        return new NeuronGroups(uses, support, sets, includes, (System.nanoTime() - start) / 1_000_000);
    }

    /** What the import materialised, in the shape {@code hmn.materialize} reports. */
    Map<String, Object> summary(List<String> layerNames, long clusterCount) {
        return Map.of("clusters", clusterCount, "uses", (long) usesCluster.length,
                "differenceSets", (long) setCluster.length, "differenceNeurons", (long) includesSet.length,
                "layers", layerNames, "millis", millis);
    }
}
