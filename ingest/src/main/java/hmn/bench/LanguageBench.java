package hmn.bench;

import hmn.embeddings.Embedder;
import hmn.embeddings.LangChainEmbedder;
import hmn.io.FloatMatrix;
import hmn.labels.Label;
import hmn.labels.LabelRequest;
import hmn.labels.Labeller;
import hmn.labels.LlmLabeller;
import hmn.language.cache.Hashing;
import hmn.language.cache.JsonlCache;
import hmn.language.llm.ChatModels;
import hmn.language.llm.LlmSpec;
import hmn.language.llm.RetryPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The measurements behind {@code hmn bench language}; each returns a rate or a time, printing as it goes. */
public final class LanguageBench {
    private static final String[] ADJ = {
        "small", "large", "red", "white", "black", "young", "old", "wooden", "snowy", "sunny", "busy", "quiet", "green",
        "blue", "tall", "wet"
    };
    private static final String[] NOUN = {
        "dog",
        "cat",
        "car",
        "man",
        "woman",
        "child",
        "boat",
        "house",
        "tree",
        "bicycle",
        "horse",
        "bird",
        "train",
        "bridge",
        "mountain",
        "table"
    };
    private static final String[] ACTION = {
        "standing", "sitting", "running", "parked", "lying", "walking", "floating", "resting", "waiting", "playing"
    };
    private static final String[] PLACE = {
        "on a beach",
        "in a forest",
        "on a city street",
        "in a kitchen",
        "next to a river",
        "in a snowy field",
        "under a blue sky",
        "in front of a building",
        "on a wooden table",
        "at night",
        "in the rain",
        "near the sea"
    };

    private final PrintWriter out;

    public LanguageBench(PrintWriter out) {
        this.out = out;
    }

    /** Deterministic caption-like sentences (seeded), of 6 to 14 words, like BLIP's. */
    public static List<String> captions(int n, long seed) {
        Random r = new Random(seed);
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String s = "a " + ADJ[r.nextInt(ADJ.length)] + " " + NOUN[r.nextInt(NOUN.length)] + " "
                    + ACTION[r.nextInt(ACTION.length)] + " " + PLACE[r.nextInt(PLACE.length)];
            if (r.nextBoolean()) {
                s += " with a " + ADJ[r.nextInt(ADJ.length)] + " " + NOUN[r.nextInt(NOUN.length)];
            }
            list.add(s);
        }
        return list;
    }

    /**
     * Sentences per second of one MiniLM variant on {@code captions}, after a warm-up: every sentence embedded
     * ({@code distinct} false: the model's own speed), or each distinct sentence once, as the embedding stage runs.
     */
    public double embeddings(boolean quantized, List<String> captions, boolean distinct) {
        try (Embedder embedder = LangChainEmbedder.miniLm(quantized, true)) {
            embedder.embed(captions.subList(0, Math.min(200, captions.size())));
            long start = System.nanoTime();
            FloatMatrix m = distinct ? embedder.embedDistinct(captions) : embedder.embed(captions);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = m.rows() / seconds;
            out.printf(
                    "embeddings %-20s %,d captions%s in %.1f s: %.0f sentences/s%n",
                    embedder.model(),
                    m.rows(),
                    distinct
                            ? String.format(
                                    " (%,d distinct, each embedded once)", new java.util.HashSet<>(captions).size())
                            : " (every one embedded)",
                    seconds,
                    rate);
            out.flush();
            return rate;
        }
    }

    /**
     * The peer: LangChain4j's own in-process MiniLM ({@code embedAll}, one sentence per model call, spread over its
     * executor) on the same captions, after a warm-up; sentences per second.
     */
    public double peerEmbeddings(boolean quantized, List<String> captions) {
        dev.langchain4j.model.embedding.EmbeddingModel model = quantized
                ? new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel()
                : new dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel();
        List<dev.langchain4j.data.segment.TextSegment> segments = captions.stream()
                .map(dev.langchain4j.data.segment.TextSegment::from)
                .toList();
        model.embedAll(segments.subList(0, Math.min(100, segments.size())));
        long start = System.nanoTime();
        int rows = model.embedAll(segments).content().size();
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = rows / seconds;
        out.printf(
                "embeddings %-20s %,d captions in %.1f s: %.0f sentences/s (LangChain4j's own model, the peer)%n",
                quantized ? LangChainEmbedder.MINILM_Q : LangChainEmbedder.MINILM, rows, seconds, rate);
        out.flush();
        return rate;
    }

    /** One timed labelling run. */
    public record LlmRun(String name, int clusters, int concurrency, double seconds, long calls, long cacheHits) {
        public double perCluster() {
            return seconds / clusters;
        }
    }

    /**
     * Labels {@code clusters} level-1 clusters (5 captions each) against a local OpenAI-compatible server that
     * answers each call after {@code latency}.
     */
    public LlmRun llm(String name, LocalLlmServer server, int clusters, int concurrency, Path cacheFile) {
        List<LabelRequest> requests = new ArrayList<>(clusters);
        List<String> pool = captions(clusters * 5, 11);
        for (int c = 0; c < clusters; c++) {
            requests.add(LabelRequest.representative("L1-" + c, pool.subList(c * 5, c * 5 + 5)));
        }
        Labeller offline = rs -> rs.stream()
                .map(r -> new Label(r.captions().get(0), "first", "first", "none", true))
                .toList();
        LlmSpec spec = new LlmSpec(LlmSpec.OPENAI, "bench", server.openAiBaseUrl(), "bench-key");
        try (JsonlCache cache = JsonlCache.open(cacheFile)) {
            LlmLabeller labeller = LlmLabeller.builder()
                    .chatModel(ChatModels.create(spec, Duration.ofSeconds(30)))
                    .model(spec.describe())
                    .fallback(offline)
                    .concurrency(concurrency)
                    .retryPolicy(RetryPolicy.of(3, Duration.ofMillis(200)))
                    .cache(cache)
                    .progress(true)
                    .build();
            long start = System.nanoTime();
            List<Label> labels = labeller.label(requests);
            double seconds = (System.nanoTime() - start) / 1e9;
            long offlineLabels = labels.stream().filter(Label::offlineDefault).count();
            LlmRun run = new LlmRun(
                    name,
                    clusters,
                    concurrency,
                    seconds,
                    labeller.stats().calls(),
                    labeller.stats().cacheHits());
            out.printf(
                    "llm %-28s %,d clusters, concurrency %d: %.1f s (%.1f ms/cluster), %d calls, %d cache hits,"
                            + " %d fallbacks%n",
                    name,
                    clusters,
                    concurrency,
                    seconds,
                    1000 * run.perCluster(),
                    run.calls(),
                    run.cacheHits(),
                    offlineLabels);
            out.flush();
            return run;
        }
    }

    /** A local server answering every chat call with a fixed-format sentence after {@code latency}. */
    public static LocalLlmServer slowServer(Duration latency) throws IOException {
        return LocalLlmServer.start(call -> LocalLlmServer.chat(
                        call, "Scene " + Hashing.sha256(call.prompt()).substring(0, 8) + " outdoors.")
                .delayed(latency));
    }
}
