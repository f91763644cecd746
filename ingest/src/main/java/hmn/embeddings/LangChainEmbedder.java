package hmn.embeddings;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import hmn.io.FloatMatrix;
import hmn.language.llm.ResilientCaller;
import hmn.language.llm.ResilientCaller.Check;
import hmn.language.llm.RetryPolicy;
import hmn.language.llm.Sleeper;
import hmn.progress.ProgressBars;
import java.util.List;
import java.util.Objects;
import me.tongfei.progressbar.ProgressBar;

/**
 * An {@link Embedder} over any LangChain4j embedding model: in-process all-MiniLM-L6-v2 (float32 or quantized,
 * shipped in LangChain4j's jars, offline) or a remote OpenAI-compatible model. Embeds in batches, with a progress
 * bar, retrying failed batches under a {@link RetryPolicy}; rows keep the order of the sentences.
 */
public final class LangChainEmbedder implements Embedder {
    public static final String MINILM = "all-minilm-l6-v2";
    public static final String MINILM_Q = "all-minilm-l6-v2-q";

    private final EmbeddingModel model;
    private final String name;
    private final int batchSize;
    private final boolean progress;
    private final ResilientCaller caller;
    private int dimension;

    private LangChainEmbedder(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.name = Objects.requireNonNull(b.name, "name");
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + b.batchSize);
        }
        this.batchSize = b.batchSize;
        this.progress = b.progress;
        this.caller = new ResilientCaller(b.retryPolicy, b.sleeper);
        this.dimension = b.dimension;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * all-MiniLM-L6-v2 in-process (384 dimensions), run in padded batches ({@link MiniLmEmbedder});
     * {@code quantized} picks the int8 variant (faster).
     */
    public static Embedder miniLm(boolean quantized, boolean progress) {
        return new MiniLmEmbedder(quantized, progress);
    }

    @Override
    public FloatMatrix embed(List<String> sentences) {
        if (sentences.isEmpty()) {
            return FloatMatrix.zeros(0, Math.max(dimension, 0));
        }
        float[] data = null;
        ProgressBar bar = ProgressBars.optional(progress, "embed " + name, sentences.size(), "captions");
        try {
            for (int from = 0; from < sentences.size(); from += batchSize) {
                int to = Math.min(sentences.size(), from + batchSize);
                List<TextSegment> batch = sentences.subList(from, to).stream()
                        .map(s -> TextSegment.from(s == null || s.isBlank() ? " " : s))
                        .toList();
                int first = from;
                ResilientCaller.Outcome<List<Embedding>> outcome = caller.call(
                        name + " rows " + from + ".." + (to - 1),
                        () -> model.embedAll(batch).content(),
                        result -> result == null || result.size() != batch.size()
                                ? Check.reject("expected " + batch.size() + " embeddings, got "
                                        + (result == null ? 0 : result.size()))
                                : Check.accept(result));
                if (!outcome.ok()) {
                    throw new IllegalStateException("embedding rows " + first + ".." + (to - 1) + " with " + name
                            + " failed after " + outcome.attempts() + " attempt(s): " + outcome.failure());
                }
                for (int i = 0; i < outcome.value().size(); i++) {
                    float[] vector = outcome.value().get(i).vector();
                    if (data == null) {
                        dimension = vector.length;
                        data = new float[Math.multiplyExact(sentences.size(), dimension)];
                    }
                    if (vector.length != dimension) {
                        throw new IllegalStateException(name + " returned " + vector.length + " dimensions for row "
                                + (first + i) + ", expected " + dimension);
                    }
                    System.arraycopy(vector, 0, data, (first + i) * dimension, dimension);
                }
                ProgressBars.step(bar, to - from);
            }
        } finally {
            ProgressBars.close(bar);
        }
        return new FloatMatrix(sentences.size(), dimension, data);
    }

    @Override
    public String model() {
        return name;
    }

    /** The dimension, known up front for MiniLM; for remote models after the first batch (0 before). */
    @Override
    public int dimension() {
        return dimension;
    }

    public static final class Builder {
        private EmbeddingModel model;
        private String name;
        private int batchSize = 64;
        private boolean progress;
        private int dimension;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Sleeper sleeper = Sleeper.REAL;

        public Builder model(EmbeddingModel model) {
            this.model = model;
            return this;
        }

        /** Provenance, e.g. "all-minilm-l6-v2" or "openai:text-embedding-3-small". */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy);
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        public LangChainEmbedder build() {
            return new LangChainEmbedder(this);
        }
    }
}
