package hmn.validity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What ablating sets of one layer's channels does to a model's output (DESIGN.md, "Validity"): the effect of set S
 * on image x is ||z(x) - z_S(x)||_2 / ||z(x)||_2. Images are given by their rows in the collection. Implementations
 * compute it from pooled activations where the output reads the layer linearly ({@link LinearAblation#on}), or by
 * running the rest of the network on the ablated feature maps; both answer for many sets at once, so a forward
 * implementation can batch them.
 */
public interface AblationEffects {
    /** The layer's channel count, from which random sets are drawn. */
    int channels();

    /** For each of {@code sets}, the mean effect over {@code rows} (NaN when there are no rows; 0 for an empty set). */
    double[] meanEffects(int[] rows, List<int[]> sets);

    /**
     * One group's ablation: its effect on {@code rows} (the first M images of the cluster), the effects of
     * {@code randomSets} seeded random sets of the same size on the same rows, z = (effect - their mean) / their
     * sample sd (null when the sd is 0 or the set empty), and specificity = effect on rows / effect on
     * {@code outsideRows} (null when that is 0 or there are none).
     */
    default Result ablate(int[] rows, int[] outsideRows, int[] set, int randomSets, long seed) {
        if (randomSets < 2) {
            throw new IllegalArgumentException("randomSets must be >= 2, got " + randomSets);
        }
        if (set.length == 0) {
            return new Result(meanEffects(rows, List.of(set))[0], null, null, 0, 0);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> sets = new ArrayList<>(randomSets + 1);
        sets.add(set);
        for (int s = 0; s < randomSets; s++) {
            sets.add(randomSet(random, channels(), set.length));
        }
        double[] effects = meanEffects(rows, sets);
        double effect = effects[0];
        double[] baseline = Arrays.copyOfRange(effects, 1, effects.length);
        double mean = mean(baseline);
        double sd = sampleSd(baseline, mean);
        double outside = outsideRows.length == 0 ? 0 : meanEffects(outsideRows, List.of(set))[0];
        Double specificity = outside > 0 ? effect / outside : null;
        return new Result(effect, zScore(effect, baseline), specificity, mean, sd);
    }

    /** A group's ablation: effect, z against random sets, specificity, and the random sets' mean and sd. */
    record Result(double effect, Double z, Double specificity, double baselineMean, double baselineSd) {}

    /** (value - mean) / sample sd of the random sets' values; null when their sd is 0. */
    static Double zScore(double value, double[] baseline) {
        double mean = mean(baseline);
        double sd = sampleSd(baseline, mean);
        return sd > 0 ? (value - mean) / sd : null;
    }

    /** {@code size} distinct channels of {@code channels}, ascending (a partial Fisher-Yates shuffle). */
    static int[] randomSet(SplittableRandom random, int channels, int size) {
        int[] all = new int[channels];
        for (int i = 0; i < channels; i++) {
            all[i] = i;
        }
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(channels - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, size);
        Arrays.sort(out);
        return out;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sampleSd(double[] values, double mean) {
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        return Math.sqrt(var / (values.length - 1));
    }
}
