package hmn.validity;

import hmn.group.Hierarchy;
import hmn.group.HierarchyGroups;
import hmn.group.SupportCounts;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The statistics that the materialised USES edges carry, aligned with {@link HierarchyGroups}' USES rows: base rate,
 * lift (NaN where null), p and q of each group neuron in its cluster, as {@code hmn.cluster.stats} gives them. The
 * collection counts K_j are the counts of every image of the hierarchy.
 */
public record UsesStatistics(double[] baseRate, double[] lift, double[] p, double[] q) {

    public static UsesStatistics of(Hierarchy h, HierarchyGroups groups) {
        List<int[]> collectionCounts = IntStream.range(0, groups.layerCount())
                .mapToObj(groups::collectionCounts)
                .toList();
        int n = groups.usesCount();
        double[] baseRate = new double[n];
        double[] lift = new double[n];
        double[] p = new double[n];
        double[] q = new double[n];
        // USES rows come cluster by cluster, layer by layer: one statistics list per (cluster, layer) run
        int[] starts = IntStream.range(0, n)
                .filter(k -> k == 0
                        || groups.usesCluster(k) != groups.usesCluster(k - 1)
                        || groups.usesLayer(k) != groups.usesLayer(k - 1))
                .toArray();
        IntStream.range(0, starts.length).parallel().forEach(i -> {
            int from = starts[i];
            int to = i + 1 < starts.length ? starts[i + 1] : n;
            int c = groups.usesCluster(from);
            int l = groups.usesLayer(from);
            SupportCounts counts = groups.counts(l);
            List<NeuronStatistics> stats =
                    GroupStatistics.neurons(counts.row(c), h.imageCount(c), collectionCounts.get(l), h.imageCount());
            for (int k = from; k < to; k++) {
                NeuronStatistics s = stats.get(groups.usesChannel(k));
                baseRate[k] = s.baseRate();
                lift[k] = s.lift() == null ? Double.NaN : s.lift();
                p[k] = s.p();
                q[k] = s.q();
            }
        });
        return new UsesStatistics(baseRate, lift, p, q);
    }
}
