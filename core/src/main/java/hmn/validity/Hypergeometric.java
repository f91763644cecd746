package hmn.validity;

/**
 * The hypergeometric distribution: draws without replacement of {@code n} items from a population of {@code N} that
 * holds {@code K} successes. Computed from log-factorials and summed by the terms' ratio; the relative error grows
 * with the population (log N! loses digits): about 1e-10 at N = 25,000 and 1e-8 at N = 1.28 million, far below any
 * decision made on a p-value.
 */
public final class Hypergeometric {
    private static final int TABLE = 1024;
    private static final double[] LOG_FACTORIAL = new double[TABLE];

    static {
        for (int i = 1; i < TABLE; i++) {
            LOG_FACTORIAL[i] = LOG_FACTORIAL[i - 1] + Math.log(i);
        }
    }

    private Hypergeometric() {}

    /**
     * P[X >= a] for X ~ Hypergeometric(population, successes, draws). 1 for {@code a} at or below the support's
     * lower end, 0 above its upper end.
     */
    public static double upperTail(long population, long successes, long draws, long a) {
        check(population, successes, draws);
        long low = Math.max(0, draws - (population - successes));
        long high = Math.min(successes, draws);
        if (a <= low) {
            return 1.0;
        }
        if (a > high) {
            return 0.0;
        }
        double mean = (double) draws * successes / population;
        if (a > mean) {
            // terms fall from a upwards: sum them until they no longer count
            return Math.min(1.0, sumUp(population, successes, draws, a, high));
        }
        // terms fall from a - 1 downwards: one minus the lower tail
        return Math.max(0.0, Math.min(1.0, 1.0 - sumDown(population, successes, draws, a - 1, low)));
    }

    /** P[X = x]. */
    public static double pmf(long population, long successes, long draws, long x) {
        check(population, successes, draws);
        if (x < Math.max(0, draws - (population - successes)) || x > Math.min(successes, draws)) {
            return 0.0;
        }
        return Math.exp(logPmf(population, successes, draws, x));
    }

    private static double sumUp(long population, long successes, long draws, long from, long high) {
        double term = Math.exp(logPmf(population, successes, draws, from));
        double sum = term;
        for (long x = from; x < high && term > sum * 1e-17; x++) {
            term *= (double) (successes - x)
                    * (draws - x)
                    / ((double) (x + 1) * (population - successes - draws + x + 1));
            sum += term;
        }
        return sum;
    }

    private static double sumDown(long population, long successes, long draws, long from, long low) {
        double term = Math.exp(logPmf(population, successes, draws, from));
        double sum = term;
        for (long x = from; x > low && term > sum * 1e-17; x--) {
            term *= (double) x
                    * (population - successes - draws + x)
                    / ((double) (successes - x + 1) * (draws - x + 1));
            sum += term;
        }
        return sum;
    }

    private static double logPmf(long population, long successes, long draws, long x) {
        return logChoose(successes, x) + logChoose(population - successes, draws - x) - logChoose(population, draws);
    }

    private static double logChoose(long n, long k) {
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    /** log(n!): a table below 1024, Stirling's series (to 1/n^7, error below 1e-17 there) above. */
    static double logFactorial(long n) {
        if (n < TABLE) {
            return LOG_FACTORIAL[(int) n];
        }
        double x = n + 1.0;
        double inv = 1.0 / x;
        double inv2 = inv * inv;
        return (x - 0.5) * Math.log(x)
                - x
                + 0.5 * Math.log(2 * Math.PI)
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
    }

    private static void check(long population, long successes, long draws) {
        if (population < 1 || successes < 0 || successes > population || draws < 0 || draws > population) {
            throw new IllegalArgumentException("need 0 <= successes, draws <= population, population >= 1; got "
                    + "population " + population + ", successes " + successes + ", draws " + draws);
        }
    }
}
