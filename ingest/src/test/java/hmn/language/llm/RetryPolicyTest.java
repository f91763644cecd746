package hmn.language.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RetryPolicy CAPPED =
            new RetryPolicy(6, Duration.ofMillis(400), Duration.ofMillis(1600), Duration.ofSeconds(60));

    private static List<Duration> waits(RetryPolicy policy) {
        List<Duration> out = new ArrayList<>();
        for (int attempt = 1; attempt < policy.maxAttempts(); attempt++) {
            out.add(policy.delayAfter(attempt, Optional.empty()));
        }
        return out;
    }

    @Test
    void should_draw_equal_jitter_between_half_and_all_of_the_backoff() {
        // given a draw at the bottom, the middle and the top of [0, 1)
        for (double u : new double[] {0, 0.5, 0.999_999}) {
            RetryPolicy policy = CAPPED.withJitter(Jitter.equal(() -> u));
            // when
            List<Duration> waits = waits(policy);
            // then each wait is half the backoff (400, 800, 1600, 1600, 1600 ms) plus u of the other half
            long[] backoff = {400, 800, 1600, 1600, 1600};
            for (int i = 0; i < backoff.length; i++) {
                long half = backoff[i] / 2;
                assertThat(waits.get(i).toMillis()).isEqualTo(backoff[i] - half + (long) Math.floor(u * (half + 1)));
            }
        }
    }

    @Test
    void should_draw_full_jitter_between_zero_and_the_backoff() {
        assertThat(waits(CAPPED.withJitter(Jitter.full(() -> 0.0)))).allMatch(Duration::isZero);
        assertThat(waits(CAPPED.withJitter(Jitter.full(() -> 0.999_999))))
                .containsExactly(
                        Duration.ofMillis(400),
                        Duration.ofMillis(800),
                        Duration.ofMillis(1600),
                        Duration.ofMillis(1600),
                        Duration.ofMillis(1600));
    }

    @Test
    void should_repeat_the_same_waits_from_the_same_seed() {
        assertThat(waits(CAPPED.withJitter(Jitter.equal(42))))
                .isEqualTo(waits(CAPPED.withJitter(Jitter.equal(42))))
                .isNotEqualTo(waits(CAPPED.withJitter(Jitter.equal(43))));
    }

    @Test
    void should_honour_retry_after_exactly_whatever_the_jitter() {
        RetryPolicy policy = CAPPED.withJitter(Jitter.full(() -> 0.0));
        assertThat(policy.delayAfter(2, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.delayAfter(2, Optional.of(Duration.ofHours(1)))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void should_jitter_by_default_and_keep_the_default_jitter_when_the_attempts_change() {
        RetryPolicy policy = RetryPolicy.DEFAULT.withMaxAttempts(7);
        assertThat(policy.maxAttempts()).isEqualTo(7);
        assertThat(policy.jitter()).isSameAs(RetryPolicy.DEFAULT.jitter());
        for (int i = 0; i < 100; i++) {
            assertThat(policy.delayAfter(1, Optional.empty()).toMillis()).isBetween(250L, 500L);
        }
    }

    @Test
    void should_reject_a_draw_outside_the_unit_interval() {
        RetryPolicy policy = CAPPED.withJitter(Jitter.equal(() -> 1.0));
        assertThatThrownBy(() -> policy.delayAfter(1, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a uniform draw must be in [0, 1), got 1.0");
    }
}
