package hmn.language.options;

import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import hmn.captions.Captioner;
import hmn.captions.ChatModelCaptioner;
import hmn.captions.blip.BlipCaptioner;
import hmn.core.BadInputException;
import hmn.embeddings.Embedder;
import hmn.embeddings.ImportedEmbeddings;
import hmn.embeddings.LangChainEmbedder;
import hmn.labels.Labeller;
import hmn.labels.LlmLabeller;
import hmn.language.cache.JsonlCache;
import hmn.language.http.ProviderHttpClient;
import hmn.language.llm.ChatModels;
import hmn.language.llm.LlmSpec;
import hmn.language.llm.Prompts;
import hmn.language.llm.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns the command line's strings into the language stages: {@code --captioner}, {@code --embedder} and
 * {@code --llm}, with the shared {@link LanguageOptions}.
 */
public final class LanguageStages {
    public static final String EMBEDDERS = "minilm (default), minilm-q, openai:MODEL, import:FILE.npy";
    public static final String CAPTIONERS = "blip, blip:DIR, openai:MODEL, ollama:MODEL, import:FILE";
    public static final String LLMS = "none (the offline default), openai:MODEL, ollama:MODEL";

    private LanguageStages() {}

    /** {@code minilm}, {@code minilm-q}, {@code openai:MODEL} or {@code import:FILE.npy}. */
    public static Embedder embedder(String spec, LanguageOptions options) {
        String s = spec == null ? "minilm" : spec.trim();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "minilm", LangChainEmbedder.MINILM -> {
                return LangChainEmbedder.miniLm(false, !options.noProgress);
            }
            case "minilm-q", LangChainEmbedder.MINILM_Q -> {
                return LangChainEmbedder.miniLm(true, !options.noProgress);
            }
            default -> {}
        }
        if (s.startsWith("import:")) {
            return ImportedEmbeddings.load(Path.of(s.substring("import:".length())));
        }
        if (s.startsWith("openai:")) {
            LlmSpec llm = LlmSpec.parse("--embedder", s, options.baseUrl, options.apiKey, options.env);
            Duration timeout = timeout(options);
            OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder()
                    .httpClientBuilder(ProviderHttpClient.builder().readTimeout(timeout))
                    .baseUrl(llm.baseUrl())
                    .apiKey(llm.apiKey() == null ? "none" : llm.apiKey())
                    .modelName(llm.model())
                    .timeout(timeout)
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            return LangChainEmbedder.builder()
                    .model(model)
                    .name(llm.describe())
                    .batchSize(256)
                    .retryPolicy(retryPolicy(options))
                    .progress(!options.noProgress)
                    .build();
        }
        throw new BadInputException("--embedder must be one of " + EMBEDDERS + "; got '" + spec + "'");
    }

    /**
     * The captioner for {@code blip} (in-process BLIP, fetched on first use), {@code blip:DIR} (a local BLIP
     * checkpoint), {@code openai:MODEL} or {@code ollama:MODEL}. ({@code import:FILE} is not a captioner: read the
     * file.)
     */
    public static Captioner captioner(String spec, LanguageOptions options) {
        return captioner(spec, options, new BlipOptions());
    }

    /** As {@link #captioner(String, LanguageOptions)}, BLIP set up by {@code blip}'s options. */
    public static Captioner captioner(String spec, LanguageOptions options, BlipOptions blip) {
        if (spec.equals("blip")) {
            return blip.apply(BlipCaptioner.builder(), false)
                    .progress(!options.noProgress)
                    .build();
        }
        if (spec.startsWith("blip:")) {
            return blip.apply(BlipCaptioner.builder(), true)
                    .modelDir(Path.of(spec.substring("blip:".length())))
                    .progress(!options.noProgress)
                    .build();
        }
        if (spec.startsWith("openai:") || spec.startsWith("ollama:")) {
            if (blip.given()) {
                throw new BadInputException("the --blip-* options apply to --captioner blip or blip:DIR, not to " + spec
                        + "; drop them or caption with BLIP");
            }
            return chatCaptioner(spec, options);
        }
        throw new BadInputException("--captioner must be one of " + CAPTIONERS + ", got '" + spec + "'");
    }

    /** A chat-model captioner for {@code openai:MODEL} or {@code ollama:MODEL}. */
    public static Captioner chatCaptioner(String spec, LanguageOptions options) {
        LlmSpec llm = LlmSpec.parse("--captioner", spec, options.baseUrl, options.apiKey, options.env);
        return ChatModelCaptioner.builder()
                .chatModel(ChatModels.create(llm, timeout(options)))
                .model(llm.describe())
                .prompts(Prompts.load(options.promptsDir))
                .concurrency(concurrency(options))
                .retryPolicy(retryPolicy(options))
                .build();
    }

    /**
     * The labeller for {@code --llm}: {@code none} gives {@code fallback} itself; otherwise an {@link LlmLabeller}
     * that falls back to it.
     *
     * @param cache the answer cache (see {@link #openCache}), or null
     */
    public static Labeller labeller(String spec, LanguageOptions options, Labeller fallback, JsonlCache cache) {
        if (spec == null || spec.isBlank() || spec.equalsIgnoreCase("none")) {
            return fallback;
        }
        LlmSpec llm = LlmSpec.parse("--llm", spec, options.baseUrl, options.apiKey, options.env);
        return LlmLabeller.builder()
                .chatModel(ChatModels.create(llm, timeout(options)))
                .model(llm.describe())
                .prompts(Prompts.load(options.promptsDir))
                .fallback(fallback)
                .concurrency(concurrency(options))
                .retryPolicy(retryPolicy(options))
                .cache(cache)
                .progress(!options.noProgress)
                .build();
    }

    /** Opens {@code name} (e.g. "labels.jsonl") in the cache directory, or null with {@code --no-cache}. */
    public static JsonlCache openCache(LanguageOptions options, String name) {
        if (options.noCache) {
            return null;
        }
        return JsonlCache.open(cacheDir(options).resolve(name));
    }

    public static Path cacheDir(LanguageOptions options) {
        if (options.cacheDir != null) {
            return options.cacheDir;
        }
        String env = options.env.get("HMN_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = options.env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "hmn");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "hmn");
    }

    static Duration timeout(LanguageOptions options) {
        if (!(options.timeoutSeconds > 0) || options.timeoutSeconds > 3600) {
            throw new BadInputException("--llm-timeout must be in (0, 3600] seconds, got " + options.timeoutSeconds);
        }
        return Duration.ofMillis(Math.round(options.timeoutSeconds * 1000));
    }

    static int concurrency(LanguageOptions options) {
        if (options.concurrency < 1 || options.concurrency > 256) {
            throw new BadInputException("--llm-concurrency must be in [1, 256], got " + options.concurrency);
        }
        return options.concurrency;
    }

    static RetryPolicy retryPolicy(LanguageOptions options) {
        if (options.attempts < 1 || options.attempts > 20) {
            throw new BadInputException("--llm-attempts must be in [1, 20], got " + options.attempts);
        }
        return RetryPolicy.DEFAULT.withMaxAttempts(options.attempts);
    }
}
