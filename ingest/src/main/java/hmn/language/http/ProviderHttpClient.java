package hmn.language.http;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LangChain4j's HTTP seam on the JDK client, for every provider (OpenAI-compatible and Ollama). Unlike the stock
 * client it keeps the Retry-After header of a failed answer ({@link ProviderHttpException}), so the retry policy
 * can honour it, and it never logs requests (they carry the API key). Streaming goes to LangChain4j's JDK client.
 */
public final class ProviderHttpClient implements HttpClient {
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

    private final java.net.http.HttpClient client;
    private final Duration readTimeout;
    private final HttpClient streaming;

    private ProviderHttpClient(Builder builder) {
        this.readTimeout = builder.readTimeout;
        java.net.http.HttpClient.Builder jdk =
                java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1);
        if (builder.connectTimeout != null) {
            jdk.connectTimeout(builder.connectTimeout);
        }
        this.client = jdk.build();
        this.streaming = new JdkHttpClientBuilder()
                .connectTimeout(builder.connectTimeout)
                .readTimeout(builder.readTimeout)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new UnsupportedOperationException("multipart requests are not supported by hmn's HTTP client");
        }
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        if (readTimeout != null) {
            b.timeout(readTimeout);
        }
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (RESTRICTED.contains(h.getKey().toLowerCase())) {
                continue;
            }
            for (String value : h.getValue()) {
                b.header(h.getKey(), value);
            }
        }
        String body = request.body();
        java.net.http.HttpRequest.BodyPublisher publisher = body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        b.method(request.method().name(), publisher);
        HttpResponse<String> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new TimeoutException("no answer from " + hostOf(request.url()) + " within " + readTimeout, e);
        } catch (IOException e) {
            throw new UncheckedIOException("request to " + hostOf(request.url()) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + hostOf(request.url()), e);
        }
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            Duration retryAfter = response.headers()
                    .firstValue("Retry-After")
                    .flatMap(v -> RetryAfter.parse(v, Clock.systemUTC()))
                    .orElse(null);
            throw new ProviderHttpException(status, response.body(), retryAfter);
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(status)
                .headers(response.headers().map())
                .body(response.body())
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        streaming.execute(request, parser, listener);
    }

    private static String hostOf(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getAuthority();
        } catch (IllegalArgumentException e) {
            return "the server";
        }
    }

    /** LangChain4j's builder seam: pass it to a provider's {@code httpClientBuilder(...)}. */
    public static final class Builder implements HttpClientBuilder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            if (timeout != null) {
                this.connectTimeout = timeout;
            }
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration timeout) {
            if (timeout != null) {
                this.readTimeout = timeout;
            }
            return this;
        }

        @Override
        public ProviderHttpClient build() {
            return new ProviderHttpClient(this);
        }
    }
}
