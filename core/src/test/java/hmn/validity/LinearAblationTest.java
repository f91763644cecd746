package hmn.validity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import hmn.io.FloatMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A planted case: output 0 reads channels 0-3 with weight 5, every other weight is small; a cluster whose images have
 * channels 0-3 high depends on them, images outside do not.
 */
class LinearAblationTest {
    static final int C = 64;
    static final int K = 8;

    static FloatMatrix weight() {
        SplittableRandom random = new SplittableRandom(1);
        float[] w = new float[K * C];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.05 * random.nextGaussian());
        }
        for (int j = 0; j < 4; j++) {
            w[j] = 5f;
        }
        return new FloatMatrix(K, C, w);
    }

    static FloatMatrix pooled() {
        SplittableRandom random = new SplittableRandom(2);
        float[] p = new float[100 * C];
        for (int r = 0; r < 100; r++) {
            for (int j = 0; j < C; j++) {
                p[r * C + j] = (float) random.nextDouble() + (r < 50 && j < 4 ? 3f : 0f);
            }
        }
        return new FloatMatrix(100, C, p);
    }

    @Test
    void should_compute_the_effect_by_definition() {
        // given z = W p + b and z_S with channels 1 and 5 set to r
        FloatMatrix w = weight();
        float[] b = new float[K];
        b[3] = 1f;
        float[] r = new float[C];
        r[1] = 0.25f;
        r[5] = -1f;
        float[] p = pooled().row(7);
        float[] ablated = p.clone();
        ablated[1] = r[1];
        ablated[5] = r[5];
        double change = 0;
        double norm = 0;
        for (int k = 0; k < K; k++) {
            double z = b[k];
            double zs = b[k];
            for (int j = 0; j < C; j++) {
                z += w.get(k, j) * (double) p[j];
                zs += w.get(k, j) * (double) ablated[j];
            }
            change += (z - zs) * (z - zs);
            norm += z * z;
        }

        // when / then
        assertThat(new LinearAblation(w, b, r).effect(p, new int[] {1, 5}))
                .isCloseTo(Math.sqrt(change / norm), within(1e-12));
        assertThat(new LinearAblation(w, b, r).effect(p, new int[0])).isZero();
    }

    @Test
    void should_score_a_group_that_the_output_depends_on() {
        FloatMatrix pooled = pooled();
        LinearAblation ablation = new LinearAblation(weight(), new float[K], LinearAblation.columnMeans(pooled));
        int[] cluster = java.util.stream.IntStream.range(0, 50).toArray();
        int[] outside = java.util.stream.IntStream.range(50, 100).toArray();

        AblationEffects.Result planted = ablation.ablate(pooled, cluster, outside, new int[] {0, 1, 2, 3}, 20, 9);
        AblationEffects.Result other = ablation.ablate(pooled, cluster, outside, new int[] {10, 20, 30, 40}, 20, 9);

        assertThat(planted.z()).isGreaterThan(3.0);
        assertThat(planted.specificity())
                .isCloseTo(
                        planted.effect() / ablation.meanEffect(pooled, outside, new int[] {0, 1, 2, 3}), within(1e-12));
        assertThat(other.effect()).isLessThan(planted.effect());
        assertThat(ablation.ablate(pooled, cluster, outside, new int[] {0, 1, 2, 3}, 20, 9))
                .isEqualTo(planted);
        assertThat(ablation.ablate(pooled, cluster, outside, new int[0], 20, 9).z())
                .isNull();
    }

    @Test
    void should_draw_distinct_random_channels() {
        int[] set = AblationEffects.randomSet(new SplittableRandom(3), 10, 10);
        assertThat(set).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThatThrownBy(() -> new LinearAblation(weight(), new float[K], new float[C])
                        .ablate(pooled(), new int[] {0}, new int[0], new int[] {1}, 1, 0))
                .hasMessage("randomSets must be >= 2, got 1");
    }

    @Test
    void should_take_the_first_images_outside_a_cluster_in_collection_order() {
        assertThat(GroupAblation.firstOutside(new int[] {0, 1, 4, 5}, 10, 3)).containsExactly(2, 3, 6);
        assertThat(GroupAblation.firstOutside(new int[] {0, 1, 2}, 4, 3)).containsExactly(3);
        assertThat(GroupAblation.firstOutside(new int[] {}, 3, 5)).containsExactly(0, 1, 2);
    }
}
