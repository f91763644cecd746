package hmn.validity;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** The Benjamini–Hochberg step-up adjustment of p-values (false discovery rate): monotone, capped at 1. */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {}

    /**
     * q_(i) = min over j >= i of p_(j) * m / j, over the p-values sorted ascending (rank j from 1), capped at 1; returned
     * in the input's order. NaN p-values (untestable hypotheses) stay NaN and do not count in m.
     */
    public static double[] adjust(double[] p) {
        Integer[] order = IntStream.range(0, p.length)
                .filter(i -> !Double.isNaN(p[i]))
                .boxed()
                .toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        int m = order.length;
        double[] q = new double[p.length];
        Arrays.fill(q, Double.NaN);
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, p[i] * m / rank);
            q[i] = running;
        }
        return q;
    }
}
