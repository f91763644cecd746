package hmn.language.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * How often and how long to retry a call: exponential backoff from {@code initialBackoff}, doubled per attempt and
 * capped at {@code maxBackoff}, then spread by {@code jitter}; a server's Retry-After replaces the backoff (capped at
 * {@code maxRetryAfter}, never jittered: the server knows best).
 *
 * @param maxAttempts calls in all, at least 1
 */
public record RetryPolicy(
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter, Jitter jitter) {
    /** Four attempts, 0.5 s doubling to at most 20 s, equal jitter; Retry-After honoured up to 5 minutes. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofMinutes(5), Jitter.equal());

    /** A policy without jitter: each wait is exactly the backoff. */
    public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
        this(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, Jitter.NONE);
    }

    public RetryPolicy {
        java.util.Objects.requireNonNull(jitter, "jitter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("retry delays must not be negative");
        }
    }

    /** The default caps, without jitter: each wait is exactly the backoff (tests and benchmarks). */
    public static RetryPolicy of(int maxAttempts, Duration initialBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, DEFAULT.maxBackoff, DEFAULT.maxRetryAfter);
    }

    /** This policy with {@code maxAttempts} calls in all. */
    public RetryPolicy withMaxAttempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, jitter);
    }

    /** This policy with another jitter (e.g. {@link Jitter#NONE}, or a seeded one for reproducible waits). */
    public RetryPolicy withJitter(Jitter jitter) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, jitter);
    }

    /** The wait before attempt {@code failedAttempt + 1}, after {@code failedAttempt} (1-based) failed. */
    public Duration delayAfter(int failedAttempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            Duration ra = retryAfter.get();
            return ra.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : ra;
        }
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < failedAttempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return jitter.apply(Duration.ofMillis(Math.min(millis, maxBackoff.toMillis())));
    }
}
