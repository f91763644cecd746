package hmn.validity;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/** The hypergeometric upper tail by exact integer arithmetic: the independent reference of the tests. */
public final class ExactHypergeometric {
    private ExactHypergeometric() {}

    static BigInteger choose(long n, long k) {
        if (k < 0 || k > n) {
            return BigInteger.ZERO;
        }
        BigInteger r = BigInteger.ONE;
        for (long i = 1; i <= k; i++) {
            r = r.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
        }
        return r;
    }

    /** P[X >= a] = sum_{x >= a} C(K, x) C(N - K, n - x) / C(N, n), exactly, then rounded. */
    public static double upperTail(long population, long successes, long draws, long a) {
        BigInteger sum = BigInteger.ZERO;
        for (long x = Math.max(a, 0); x <= Math.min(successes, draws); x++) {
            sum = sum.add(choose(successes, x).multiply(choose(population - successes, draws - x)));
        }
        return new BigDecimal(sum)
                .divide(new BigDecimal(choose(population, draws)), MathContext.DECIMAL128)
                .doubleValue();
    }
}
