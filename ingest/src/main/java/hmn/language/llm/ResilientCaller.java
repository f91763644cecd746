package hmn.language.llm;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Runs one model call under a {@link RetryPolicy}: retries rate limits, server errors, timeouts, malformed and
 * rejected answers with jittered backoff (honouring Retry-After); gives up on requests the server calls bad; throws
 * {@link LlmUnavailableException} on faults that would fail every call.
 */
public final class ResilientCaller {
    private static final Logger LOG = Logger.getLogger(ResilientCaller.class.getName());

    private final RetryPolicy policy;
    private final Sleeper sleeper;

    public ResilientCaller(RetryPolicy policy, Sleeper sleeper) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The accepted value, or why there is none after all attempts. */
    public record Outcome<T>(T value, String failure, int attempts) {
        public boolean ok() {
            return value != null;
        }
    }

    /**
     * @param call the model call
     * @param check turns a raw answer into an accepted value, or empty with the reason logged (then retried)
     */
    public <R, T> Outcome<T> call(String what, Supplier<R> call, Function<R, Check<T>> check) {
        String lastFailure = "no attempt";
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            CallFailure failure;
            try {
                Check<T> checked = check.apply(call.get());
                if (checked.value() != null) {
                    return new Outcome<>(checked.value(), null, attempt);
                }
                failure = CallFailure.retry("rejected answer: " + checked.rejection());
            } catch (RuntimeException e) {
                failure = CallFailure.classify(e);
            }
            CallFailure f = failure;
            lastFailure = f.reason();
            if (failure.kind() == CallFailure.Kind.FATAL) {
                throw new LlmUnavailableException(failure.reason());
            }
            if (failure.kind() == CallFailure.Kind.GIVE_UP || attempt == policy.maxAttempts()) {
                LOG.fine(() -> what + ": giving up: " + f.reason());
                return new Outcome<>(null, failure.reason(), attempt);
            }
            Duration wait = policy.delayAfter(attempt, failure.retryAfter());
            int n = attempt;
            LOG.fine(() -> what + ": attempt " + n + " failed (" + f.reason() + "), retrying in " + wait);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome<>(null, "interrupted", attempt);
            }
        }
        return new Outcome<>(null, lastFailure, policy.maxAttempts());
    }

    /** The result of checking an answer: a value, or the reason it was rejected. */
    public record Check<T>(T value, String rejection) {
        public static <T> Check<T> accept(T value) {
            return new Check<>(Objects.requireNonNull(value), null);
        }

        public static <T> Check<T> reject(String reason) {
            return new Check<>(null, reason);
        }

        public Optional<T> asOptional() {
            return Optional.ofNullable(value);
        }
    }
}
