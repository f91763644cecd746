package hmn.validity;

import hmn.group.Hierarchy;
import hmn.group.HierarchyGroups;

/**
 * The contrast summary of every difference set of {@link HierarchyGroups}, per layer, as the importer writes it on
 * the DIFFERS_BY edges ({@code meanContrast_<layer>}, {@code minP_<layer>}) and {@code hmn.materialize} does too.
 *
 * @param meanContrast [set][layer], NaN where the set has no neuron in the layer
 * @param minP [set][layer], NaN likewise
 */
public record DifferenceSummaries(double[][] meanContrast, double[][] minP) {

    public static DifferenceSummaries of(Hierarchy h, HierarchyGroups groups) {
        int sets = groups.setCount();
        int layers = groups.layerCount();
        double[][] mean = new double[sets][layers];
        double[][] minP = new double[sets][layers];
        java.util.stream.IntStream.range(0, sets).parallel().forEach(d -> {
            int c = groups.setCluster(d);
            int p = groups.setParent(d);
            for (int l = 0; l < layers; l++) {
                double[] s = GroupStatistics.differenceSummary(
                        groups.counts(l).row(c),
                        h.imageCount(c),
                        groups.counts(l).row(p),
                        h.imageCount(p),
                        groups.difference(l, c));
                mean[d][l] = s[0];
                minP[d][l] = s[1];
            }
        });
        return new DifferenceSummaries(mean, minP);
    }
}
