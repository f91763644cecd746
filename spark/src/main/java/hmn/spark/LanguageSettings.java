package hmn.spark;

import hmn.language.options.BlipOptions;
import hmn.language.options.LanguageOptions;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The language options of an ingest ({@link LanguageOptions}, {@link BlipOptions}) as plain values a task carries to
 * its executor, which builds its captioner or embedder from them. The environment is not carried: an executor reads
 * API keys and URLs from its own (or from {@code --llm-key} and {@code --llm-base-url}, which are).
 */
record LanguageSettings(
        String baseUrl,
        String apiKey,
        double timeoutSeconds,
        int concurrency,
        int attempts,
        String promptsDir,
        String cacheDir,
        boolean noCache,
        String blipRepo,
        Integer blipBeams,
        Integer blipMaxTokens,
        String blipPrompt,
        int blipBatch,
        String blipEngine,
        Integer blipThreads)
        implements Serializable {
    static LanguageSettings of(LanguageOptions language, BlipOptions blip) {
        BlipOptions b = blip == null ? new BlipOptions() : blip;
        return new LanguageSettings(
                language.baseUrl,
                language.apiKey,
                language.timeoutSeconds,
                language.concurrency,
                language.attempts,
                language.promptsDir == null ? null : language.promptsDir.toString(),
                language.cacheDir == null ? null : language.cacheDir.toString(),
                language.noCache,
                b.repo,
                b.beams,
                b.maxTokens,
                b.prompt,
                b.batch,
                b.engine,
                b.threads);
    }

    /** The language options again, without progress bars (executors have no terminal). */
    LanguageOptions language() {
        LanguageOptions o = new LanguageOptions();
        o.baseUrl = baseUrl;
        o.apiKey = apiKey;
        o.timeoutSeconds = timeoutSeconds;
        o.concurrency = concurrency;
        o.attempts = attempts;
        o.promptsDir = promptsDir == null ? null : Path.of(promptsDir);
        o.cacheDir = cacheDir == null ? null : Path.of(cacheDir);
        o.noCache = noCache;
        o.noProgress = true;
        return o;
    }

    BlipOptions blip() {
        BlipOptions o = new BlipOptions();
        o.repo = blipRepo;
        o.beams = blipBeams;
        o.maxTokens = blipMaxTokens;
        o.prompt = blipPrompt;
        o.batch = blipBatch;
        o.engine = blipEngine;
        o.threads = blipThreads;
        return o;
    }
}
