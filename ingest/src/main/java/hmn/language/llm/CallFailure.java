package hmn.language.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import hmn.language.http.ProviderHttpException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * What a failed call means for the retry loop.
 *
 * @param kind RETRY (rate limit, server error, timeout, network, malformed answer), GIVE_UP (this request is bad:
 *     fall back for it) or FATAL (wrong key, model or URL: every call would fail, so stop the run)
 * @param reason one line for the log and the error message; never holds the API key
 * @param retryAfter the server's Retry-After, if any
 */
public record CallFailure(Kind kind, String reason, Optional<Duration> retryAfter) {
    public enum Kind {
        RETRY,
        GIVE_UP,
        FATAL
    }

    public static CallFailure retry(String reason) {
        return new CallFailure(Kind.RETRY, reason, Optional.empty());
    }

    /** Classifies an exception thrown by a LangChain4j model call. */
    public static CallFailure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ProviderHttpException p) {
                return byStatus(p.statusCode(), p.getMessage(), p.retryAfter());
            }
            if (t instanceof HttpException h) {
                return byStatus(h.statusCode(), "HTTP " + h.statusCode(), Optional.empty());
            }
            if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
                return retry("timeout: " + t.getMessage());
            }
            if (t instanceof JsonProcessingException) {
                return retry("malformed JSON from the server: " + firstLine(t.getMessage()));
            }
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return retry("network error: " + firstLine(t.getMessage()));
            }
        }
        return retry("unexpected answer: " + error.getClass().getSimpleName() + ": " + firstLine(error.getMessage()));
    }

    private static CallFailure byStatus(int status, String message, Optional<Duration> retryAfter) {
        if (status == 429 || status == 408 || status == 409 || status >= 500) {
            return new CallFailure(Kind.RETRY, message, retryAfter);
        }
        if (status == 401 || status == 403) {
            return new CallFailure(
                    Kind.FATAL,
                    "the server refused the API key (HTTP " + status + "): check --llm-key"
                            + " or OPENAI_API_KEY / HMN_LLM_API_KEY",
                    Optional.empty());
        }
        if (status == 404) {
            return new CallFailure(
                    Kind.FATAL,
                    "the server does not know this model or URL (HTTP 404): check the model"
                            + " name and --llm-base-url",
                    Optional.empty());
        }
        return new CallFailure(Kind.GIVE_UP, message, Optional.empty());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
