package hmn.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import hmn.finch.Parallel;
import hmn.finch.Progress;
import hmn.io.FloatMatrix;
import hmn.progress.ProgressBars;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;

/**
 * all-MiniLM-L6-v2 (float32 or int8-quantized) in-process, from the ONNX model and tokenizer that LangChain4j ships
 * in its jars, run in padded batches of similar length, one batch per core at a time: the same vectors as
 * LangChain4j's own model (mean of the token states, L2-normalised), which runs one sentence per call. A sentence
 * longer than the model's 512 tokens goes to LangChain4j's model, which splits and averages it.
 */
public final class MiniLmEmbedder implements Embedder {
    static final int DIMENSION = 384;
    /** Tokens per sequence, special tokens included. */
    static final int MAX_TOKENS = 512;
    /** Padded tokens per batch (about 64 captions): measured faster here than 512, 2,048 or 4,096. */
    static final int TOKENS_PER_BATCH = 1024;

    private final boolean quantized;
    private final boolean progress;
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean typeIds;
    private EmbeddingModel longSentences;

    public MiniLmEmbedder(boolean quantized, boolean progress) {
        this.quantized = quantized;
        this.progress = progress;
        String name = quantized ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2";
        Class<?> owner = quantized ? AllMiniLmL6V2QuantizedEmbeddingModel.class : AllMiniLmL6V2EmbeddingModel.class;
        try (InputStream model = resource(owner, name + ".onnx");
                InputStream vocabulary = resource(owner, name + "-tokenizer.json");
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1); // batches run in parallel, one per core (see embed)
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = environment.createSession(model.readAllBytes(), options);
            this.tokenizer = HuggingFaceTokenizer.newInstance(vocabulary, Map.of("padding", "false"));
            this.typeIds = session.getInputNames().contains("token_type_ids");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + name + " model from LangChain4j's jar", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the " + name + " model into ONNX Runtime: " + e, e);
        }
    }

    private static InputStream resource(Class<?> owner, String name) throws IOException {
        InputStream in = owner.getResourceAsStream("/" + name);
        if (in == null) {
            throw new IOException(name + " is missing from the class path (LangChain4j's MiniLM jar)");
        }
        return in;
    }

    @Override
    public FloatMatrix embed(List<String> sentences) {
        int n = sentences.size();
        float[] out = new float[n * DIMENSION];
        long[][] ids = new long[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            String s = sentences.get(i);
            Encoding encoding = tokenizer.encode(s == null || s.isBlank() ? " " : s, true, false);
            ids[i] = encoding.getIds();
        });
        List<Integer> order = new ArrayList<>(n);
        List<Integer> tooLong = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (ids[i].length > MAX_TOKENS ? tooLong : order).add(i);
        }
        order.sort(Comparator.comparingInt(i -> ids[i].length));
        ProgressBar bar = ProgressBars.optional(progress && n > 0, "embed " + model(), n, "captions");
        try {
            int from = 0;
            List<int[]> batches = new ArrayList<>(); // {from, to, longest}
            while (from < order.size()) {
                int longest = ids[order.get(from)].length;
                int to = from + 1;
                while (to < order.size()
                        && (long) (to - from + 1) * Math.max(longest, ids[order.get(to)].length) <= TOKENS_PER_BATCH) {
                    longest = Math.max(longest, ids[order.get(to)].length);
                    to++;
                }
                batches.add(new int[] {from, to, longest});
                from = to;
            }
            runLongestFirst(batches, batch -> {
                encodeBatch(order.subList(batch[0], batch[1]), ids, batch[2], out);
                ProgressBars.step(bar, batch[1] - batch[0]);
            });
            for (int i : tooLong) {
                float[] vector = longModel()
                        .embed(TextSegment.from(sentences.get(i)))
                        .content()
                        .vector();
                System.arraycopy(vector, 0, out, i * DIMENSION, DIMENSION);
                ProgressBars.step(bar, 1);
            }
        } finally {
            ProgressBars.close(bar);
        }
        return new FloatMatrix(n, DIMENSION, out);
    }

    /**
     * Runs the batches on one worker per core, each taking the next batch from a shared queue, longest sentences
     * first: one batch per core at a time beats one batch over all cores on batches this small, and with the
     * longest first no core is left alone with a long batch at the end. The batches come shortest first.
     */
    private static void runLongestFirst(List<int[]> batches, Consumer<int[]> work) {
        int last = batches.size() - 1;
        Parallel.run(
                Runtime.getRuntime().availableProcessors(),
                batches.size(),
                Progress.NONE,
                i -> work.accept(batches.get(last - i)));
    }

    /** Runs one padded batch and writes each sentence's normalised mean token state to its row of {@code out}. */
    private void encodeBatch(List<Integer> rows, long[][] ids, int length, float[] out) {
        int b = rows.size();
        long[] tokens = new long[b * length];
        long[] mask = new long[b * length];
        for (int r = 0; r < b; r++) {
            long[] sentence = ids[rows.get(r)];
            System.arraycopy(sentence, 0, tokens, r * length, sentence.length);
            java.util.Arrays.fill(mask, r * length, r * length + sentence.length, 1L);
        }
        long[] shape = {b, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(tokens), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (typeIds) {
                inputs.put(
                        "token_type_ids",
                        OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[b * length]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer states = ((OnnxTensor) result.get(0)).getFloatBuffer();
                for (int r = 0; r < b; r++) {
                    pool(states, r, length, ids[rows.get(r)].length, out, rows.get(r) * DIMENSION);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("all-MiniLM-L6-v2 failed on a batch of " + b + " captions: " + e, e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** The mean of the sentence's first {@code tokens} token states, L2-normalised. */
    static void pool(FloatBuffer states, int row, int length, int tokens, float[] out, int at) {
        double[] sum = new double[DIMENSION];
        int base = row * length * DIMENSION;
        for (int t = 0; t < tokens; t++) {
            int offset = base + t * DIMENSION;
            for (int d = 0; d < DIMENSION; d++) {
                sum[d] += states.get(offset + d);
            }
        }
        double norm = 0;
        for (int d = 0; d < DIMENSION; d++) {
            sum[d] /= tokens;
            norm += sum[d] * sum[d];
        }
        double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (int d = 0; d < DIMENSION; d++) {
            out[at + d] = (float) (sum[d] * scale);
        }
    }

    private synchronized EmbeddingModel longModel() {
        if (longSentences == null) {
            longSentences = quantized ? new AllMiniLmL6V2QuantizedEmbeddingModel() : new AllMiniLmL6V2EmbeddingModel();
        }
        return longSentences;
    }

    @Override
    public String model() {
        return quantized ? LangChainEmbedder.MINILM_Q : LangChainEmbedder.MINILM;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX session: " + e, e);
        }
        tokenizer.close();
    }
}
