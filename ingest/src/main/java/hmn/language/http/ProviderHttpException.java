package hmn.language.http;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/** A non-2xx answer from an LLM or embedding server, keeping what the retry policy needs (status, Retry-After). */
public final class ProviderHttpException extends HttpException {
    private final Duration retryAfter;

    public ProviderHttpException(int statusCode, String body, Duration retryAfter) {
        super(statusCode, "HTTP " + statusCode + ": " + abbreviate(body));
        this.retryAfter = retryAfter;
    }

    /** The server's Retry-After, when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
