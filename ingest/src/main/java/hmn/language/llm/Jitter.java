package hmn.language.llm;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Spreads the backoff waits of callers that failed together, so that they do not all retry at the same moment (AWS
 * Architecture Blog, "Exponential Backoff And Jitter"). The draws come from an injected uniform source in [0, 1), so a
 * seeded one makes the waits reproducible.
 */
@FunctionalInterface
public interface Jitter {
    /** The exact backoff, no jitter. */
    Jitter NONE = backoff -> backoff;

    /** The wait to use for {@code backoff}. */
    Duration apply(Duration backoff);

    /** Full jitter: a uniform wait in [0, backoff]. */
    static Jitter full(DoubleSupplier uniform) {
        return backoff -> Duration.ofMillis(draw(backoff.toMillis(), uniform));
    }

    /** Equal jitter: half the backoff, plus a uniform wait in [0, the other half]. */
    static Jitter equal(DoubleSupplier uniform) {
        return backoff -> {
            long millis = backoff.toMillis();
            long half = millis / 2;
            return Duration.ofMillis(millis - half + draw(half, uniform));
        };
    }

    /** Equal jitter on each thread's own random source: what the retrying clients use unless told otherwise. */
    static Jitter equal() {
        return equal(() -> ThreadLocalRandom.current().nextDouble());
    }

    /** Equal jitter from a seeded source, for reproducible waits (one caller at a time). */
    static Jitter equal(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return equal(() -> {
            synchronized (random) {
                return random.nextDouble();
            }
        });
    }

    private static long draw(long upTo, DoubleSupplier uniform) {
        double u = uniform.getAsDouble();
        if (!(u >= 0 && u < 1)) {
            throw new IllegalArgumentException("a uniform draw must be in [0, 1), got " + u);
        }
        return (long) Math.floor(u * (upTo + 1));
    }
}
