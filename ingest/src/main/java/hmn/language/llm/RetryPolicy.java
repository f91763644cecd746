package hmn.language.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * How often and how long to retry a call: exponential backoff from {@code initialBackoff}, doubled per attempt and
 * capped at {@code maxBackoff}; a server's Retry-After replaces the backoff (capped at {@code maxRetryAfter}).
 *
 * @param maxAttempts calls in all, at least 1
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofMinutes(5));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("retry delays must not be negative");
        }
    }

    public static RetryPolicy of(int maxAttempts, Duration initialBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, DEFAULT.maxBackoff, DEFAULT.maxRetryAfter);
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
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
