package hmn.language.options;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options shared by every command that calls a language model (mix in with {@code @Mixin}). API keys are best
 * given in the environment (OPENAI_API_KEY or HMN_LLM_API_KEY): an option is visible to other users of the machine.
 */
public final class LanguageOptions {
    @Option(
            names = "--llm-base-url",
            paramLabel = "URL",
            description = "Base URL of the OpenAI-compatible (ending in /v1) or Ollama server. Default: "
                    + "$HMN_LLM_BASE_URL, else $OPENAI_BASE_URL / $OLLAMA_HOST, else the provider's.")
    public String baseUrl;

    @Option(
            names = "--llm-key",
            paramLabel = "KEY",
            description = "API key. Default: $HMN_LLM_API_KEY, else $OPENAI_API_KEY. Never written anywhere.")
    public String apiKey;

    @Option(
            names = "--llm-timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "Timeout of one model call, in seconds (default: ${DEFAULT-VALUE}).")
    public double timeoutSeconds;

    @Option(
            names = "--llm-concurrency",
            paramLabel = "N",
            defaultValue = "4",
            description = "Model calls in flight at once (default: ${DEFAULT-VALUE}).")
    public int concurrency;

    @Option(
            names = "--llm-attempts",
            paramLabel = "N",
            defaultValue = "4",
            description = "Attempts per call before giving up (default: ${DEFAULT-VALUE}); waits double from 0.5 s,"
                    + " or follow the server's Retry-After.")
    public int attempts;

    @Option(
            names = "--prompts",
            paramLabel = "DIR",
            description = "Directory with prompt files overriding the shipped ones (representative.txt,"
                    + " generalisation.txt, difference.txt, caption.txt).")
    public Path promptsDir;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "Where answers are cached (captions.jsonl, labels.jsonl). Default: $HMN_CACHE_DIR, else"
                    + " ~/.cache/hmn.")
    public Path cacheDir;

    @Option(names = "--no-cache", description = "Neither read nor write the answer cache.")
    public boolean noCache;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    public boolean noProgress;

    /** The environment to read keys and URLs from; tests replace it. */
    public Map<String, String> env = System.getenv();
}
