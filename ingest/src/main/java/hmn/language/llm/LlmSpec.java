package hmn.language.llm;

import hmn.core.BadInputException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which chat or embedding model to call: {@code openai:MODEL} (OpenAI or any OpenAI-compatible server) or
 * {@code ollama:MODEL}, with a base URL and an API key. The key is never printed: {@link #toString()} and
 * {@link #describe()} leave it out.
 *
 * @param provider "openai" or "ollama"
 * @param model the provider's model name, e.g. "gpt-4o-mini" or "llava"
 * @param baseUrl the server's base URL (OpenAI: ending in /v1)
 * @param apiKey the key, or null when the server needs none
 */
public record LlmSpec(String provider, String model, String baseUrl, String apiKey) {
    public static final String OPENAI = "openai";
    public static final String OLLAMA = "ollama";
    public static final String OPENAI_DEFAULT_URL = "https://api.openai.com/v1";
    public static final String OLLAMA_DEFAULT_URL = "http://localhost:11434";

    public LlmSpec {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /**
     * Parses {@code PROVIDER:MODEL} as given to an option, taking the base URL and key from the options when set,
     * else from the environment: HMN_LLM_BASE_URL (then OPENAI_BASE_URL or OLLAMA_HOST), HMN_LLM_API_KEY (then
     * OPENAI_API_KEY).
     *
     * @param option the option's name, for messages (e.g. "--llm")
     */
    public static LlmSpec parse(String option, String value, String baseUrl, String apiKey, Map<String, String> env) {
        int colon = value == null ? -1 : value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new BadInputException(option + " must be openai:MODEL or ollama:MODEL (e.g. openai:gpt-4o-mini,"
                    + " ollama:llama3.2), got '" + value + "'");
        }
        String provider = value.substring(0, colon).toLowerCase(Locale.ROOT);
        String model = value.substring(colon + 1);
        String url = firstNonBlank(baseUrl, env.get("HMN_LLM_BASE_URL"));
        String key = firstNonBlank(apiKey, env.get("HMN_LLM_API_KEY"));
        switch (provider) {
            case OPENAI -> {
                url = firstNonBlank(url, env.get("OPENAI_BASE_URL"), OPENAI_DEFAULT_URL);
                key = firstNonBlank(key, env.get("OPENAI_API_KEY"));
                if (key == null && url.equals(OPENAI_DEFAULT_URL)) {
                    throw new BadInputException(option + " " + value + " calls api.openai.com, which needs a key:"
                            + " set OPENAI_API_KEY (or --llm-key), or point --llm-base-url at an OpenAI-compatible"
                            + " server");
                }
            }
            case OLLAMA -> {
                String host = env.get("OLLAMA_HOST");
                if (url == null && host != null && !host.isBlank()) {
                    url = host.startsWith("http") ? host : "http://" + host;
                }
                url = firstNonBlank(url, OLLAMA_DEFAULT_URL);
            }
            default -> throw new BadInputException(
                    option + " provider must be openai or ollama, got '" + provider + "' in '" + value + "'");
        }
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new BadInputException(
                    "the LLM base URL must be an http(s) URL such as http://127.0.0.1:8080/v1," + " got '" + url + "'");
        }
        return new LlmSpec(provider, model, stripSlash(url), key);
    }

    /** Provenance stored with every label, e.g. "openai:gpt-4o-mini". */
    public String describe() {
        return provider + ":" + model;
    }

    @Override
    public String toString() {
        return "LlmSpec[" + describe() + " at " + baseUrl + (apiKey == null ? "" : ", key set") + "]";
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
