package hmn.validity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The upper tail against a direct sum of exact binomial ratios in BigDecimal. */
class HypergeometricTest {

    @ParameterizedTest
    @CsvSource({
        // population, successes, draws, a
        "20, 7, 5, 0",
        "20, 7, 5, 1",
        "20, 7, 5, 3",
        "20, 7, 5, 5",
        "20, 7, 5, 6",
        "300, 30, 40, 4",
        "300, 30, 40, 12",
        "300, 30, 40, 25",
        "2000, 200, 120, 12",
        "2000, 200, 120, 40",
        "2000, 200, 120, 80",
        "2000, 0, 120, 0",
        "2000, 0, 120, 1", // K_j = 0
        "2000, 2000, 120, 120", // every image activates the neuron
        "5000, 1500, 4000, 1200",
        "5000, 1500, 4000, 1300", // draws near the population: a lower bound above 0
        "25000, 2500, 64, 6",
        "25000, 2500, 64, 30",
        "25000, 2500, 1250, 125",
        "25000, 2500, 1250, 400",
    })
    void should_agree_with_the_exact_sum(long population, long successes, long draws, long a) {
        double exact = ExactHypergeometric.upperTail(population, successes, draws, a);
        double got = Hypergeometric.upperTail(population, successes, draws, a);
        assertThat(got).isCloseTo(exact, within(Math.max(1e-300, exact * 1e-9)));
    }

    @Test
    void should_be_one_at_the_lower_end_and_zero_above_the_upper() {
        // the lower end: draws - (N - K) = 40 - 10 = 30
        assertThat(Hypergeometric.upperTail(100, 90, 40, 30)).isEqualTo(1.0);
        assertThat(Hypergeometric.upperTail(100, 90, 40, 41)).isEqualTo(0.0);
        assertThat(Hypergeometric.upperTail(100, 10, 40, 11)).isEqualTo(0.0);
    }

    @Test
    void should_compute_log_factorials_across_the_table_boundary() {
        double sum = 0;
        for (int i = 1; i <= 5000; i++) {
            sum += Math.log(i);
            if (i >= 1000) {
                assertThat(Hypergeometric.logFactorial(i)).isCloseTo(sum, within(sum * 1e-13));
            }
        }
    }

    @Test
    void should_reject_impossible_parameters() {
        assertThatThrownBy(() -> Hypergeometric.upperTail(10, 11, 5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("successes 11");
    }
}
