package hmn.validity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AucTest {

    /** The fraction of (positive, negative) pairs ordered right, ties half: the definition, by brute force. */
    static double pairs(double[] s, boolean[] p) {
        double right = 0;
        long n = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (p[i] && !p[j]) {
                    right += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    n++;
                }
            }
        }
        return right / n;
    }

    @Test
    void should_count_ordered_pairs_with_ties_half() {
        SplittableRandom random = new SplittableRandom(8);
        for (int trial = 0; trial < 30; trial++) {
            int n = 2 + random.nextInt(60);
            double[] s = new double[n];
            boolean[] p = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = random.nextInt(10); // many ties
                p[i] = random.nextBoolean();
            }
            p[0] = true;
            p[1] = false;
            assertThat(Auc.of(s, p)).isCloseTo(pairs(s, p), within(1e-12));
        }
        assertThat(Auc.of(new double[] {1, 2}, new boolean[] {true, true})).isNaN();
        assertThat(Auc.of(new double[] {1, 2, 3}, new boolean[] {false, false, true}))
                .isEqualTo(1.0);
    }
}
