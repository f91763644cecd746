package hmn.spark;

import hmn.captions.Captioner;
import hmn.embeddings.Embedder;
import hmn.language.options.LanguageStages;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The captioners and embedders loaded in this JVM, one per name and settings: like {@link ExecutorModels}, a Spark
 * executor loads each once (BLIP and MiniLM take seconds) and every task it runs reuses it. Callers run one batch at
 * a time on each (synchronizing on it), since in-process models keep per-model buffers.
 */
final class ExecutorLanguageModels {
    /** A captioner or embedder as the command line names it, with the settings it is built with. */
    record Spec(String name, LanguageSettings settings) implements java.io.Serializable {}

    private static final Map<Spec, Captioner> CAPTIONERS = new ConcurrentHashMap<>();
    private static final Map<Spec, Embedder> EMBEDDERS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorLanguageModels() {}

    static Captioner captioner(Spec spec) {
        return CAPTIONERS.computeIfAbsent(spec, s -> {
            LOADS.incrementAndGet();
            return LanguageStages.captioner(
                    s.name(), s.settings().language(), s.settings().blip());
        });
    }

    static Embedder embedder(Spec spec) {
        return EMBEDDERS.computeIfAbsent(spec, s -> {
            LOADS.incrementAndGet();
            return LanguageStages.embedder(s.name(), s.settings().language());
        });
    }

    /** How many captioners and embedders were loaded in this JVM (for the tests: once per spec). */
    static int loads() {
        return LOADS.get();
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            CAPTIONERS.values().forEach(c -> {
                try {
                    c.close();
                } catch (Exception e) {
                    // the JVM is ending
                }
            });
            EMBEDDERS.values().forEach(Embedder::close);
        }));
    }
}
