package hmn.language.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import hmn.language.http.ProviderHttpClient;
import java.time.Duration;

/**
 * Builds LangChain4j chat models for an {@link LlmSpec}. LangChain4j's own retries are off ({@code maxRetries(0)}):
 * {@link ResilientCaller} retries, so that Retry-After is honoured and every attempt is counted once. Requests are
 * never logged (they carry the key).
 */
public final class ChatModels {
    private ChatModels() {}

    /**
     * @param timeout the per-call timeout (the HTTP read timeout of one attempt)
     */
    public static ChatModel create(LlmSpec spec, Duration timeout) {
        ProviderHttpClient.Builder http = ProviderHttpClient.builder().readTimeout(timeout);
        return switch (spec.provider()) {
            case LlmSpec.OPENAI -> OpenAiChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(spec.baseUrl())
                    .apiKey(spec.apiKey() == null ? "none" : spec.apiKey())
                    .modelName(spec.model())
                    .temperature(0.0)
                    .timeout(timeout)
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            case LlmSpec.OLLAMA -> OllamaChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(spec.baseUrl())
                    .modelName(spec.model())
                    .temperature(0.0)
                    .timeout(timeout)
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            default -> throw new IllegalArgumentException("unknown provider " + spec.provider());
        };
    }
}
