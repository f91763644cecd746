package hmn.validity;

/**
 * One channel's statistics in one cluster (DESIGN.md, "Validity"): a_j(c) = {@code count} of the cluster's images
 * activate it, support s_j = a_j(c) / n_c, base rate b_j = K_j / N over the collection, lift = s_j / b_j (null when
 * K_j = 0), p = P[X >= a_j(c)] for X ~ Hypergeometric(N, K_j, n_c), q its Benjamini–Hochberg adjustment over the
 * layer's channels for this cluster.
 */
public record NeuronStatistics(
        int neuron, int count, double support, double baseRate, Double lift, double p, double q) {}
