package hmn.validity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The step-up adjustment against its definition, computed by brute force. */
class BenjaminiHochbergTest {

    /** q_i = min(1, min over j with p_j >= p_i of p_j * m / rank_j), rank_j = |{k : p_k <= p_j}| (ties share the top rank). */
    static double[] bruteForce(double[] p) {
        int m = p.length;
        double[] q = new double[m];
        for (int i = 0; i < m; i++) {
            double best = 1.0;
            for (int j = 0; j < m; j++) {
                if (p[j] >= p[i]) {
                    int rank = 0;
                    for (double v : p) {
                        rank += v <= p[j] ? 1 : 0;
                    }
                    best = Math.min(best, p[j] * m / rank);
                }
            }
            q[i] = best;
        }
        return q;
    }

    @Test
    void should_match_the_definition_with_ties() {
        double[] p = {0.01, 0.04, 0.04, 0.03, 0.5, 0.001, 0.04, 1.0, 0.2, 0.2};
        assertThat(BenjaminiHochberg.adjust(p)).containsExactly(bruteForce(p), within(1e-15));
    }

    @Test
    void should_match_the_definition_on_random_p_values() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            double[] p = new double[1 + random.nextInt(64)];
            for (int i = 0; i < p.length; i++) {
                p[i] = random.nextInt(4) == 0 ? Math.round(random.nextDouble() * 10) / 10.0 : random.nextDouble();
            }
            assertThat(BenjaminiHochberg.adjust(p)).containsExactly(bruteForce(p), within(1e-12));
        }
    }

    @Test
    void should_be_monotone_in_p_and_capped_at_one() {
        double[] p = {0.9, 0.95, 0.99, 0.001};
        double[] q = BenjaminiHochberg.adjust(p);
        assertThat(q[3]).isEqualTo(0.004);
        assertThat(q[0]).isLessThanOrEqualTo(q[1]).isLessThanOrEqualTo(1.0);
        assertThat(q[2]).isEqualTo(0.99);
    }

    @Test
    void should_leave_nan_out_of_m() {
        double[] q = BenjaminiHochberg.adjust(new double[] {0.01, Double.NaN, 0.02});
        assertThat(q[0]).isEqualTo(0.02);
        assertThat(q[1]).isNaN();
        assertThat(q[2]).isEqualTo(0.02);
    }
}
