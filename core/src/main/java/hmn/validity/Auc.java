package hmn.validity;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** The area under the ROC curve of scores for positives against negatives (Mann-Whitney U, ties counted half). */
public final class Auc {
    private Auc() {}

    /** NaN when there are no positives or no negatives. */
    public static double of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + positive.length + " labels");
        }
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1; // the tie group's mean rank, from 1
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    rankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
