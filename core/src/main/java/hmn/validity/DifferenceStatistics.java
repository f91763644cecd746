package hmn.validity;

/**
 * A channel of a child cluster c under its parent p: contrast = s_j(c) - s_j(p \ c) (null when p has no image outside
 * c), and p = P[X >= a_j(c)] for X ~ Hypergeometric(n_p, a_j(p), n_c): how surprising the child's count is among its
 * parent's images.
 */
public record DifferenceStatistics(int neuron, Double contrast, double p) {}
