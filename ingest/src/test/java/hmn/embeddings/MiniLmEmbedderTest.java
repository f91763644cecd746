package hmn.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import hmn.bench.LanguageBench;
import hmn.io.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batched MiniLM against LangChain4j's own model, which embeds one sentence per call. */
class MiniLmEmbedderTest {

    /** Captions of mixed lengths, a blank one, one with rare words, and one longer than 512 tokens. */
    private static List<String> sentences() {
        List<String> sentences = new ArrayList<>(LanguageBench.captions(300, 5));
        sentences.add(7, "");
        sentences.add(40, "an iridescent quetzal perched on a xylophone, photographed through frosted glass");
        sentences.add(100, "a long caption of many words ".repeat(120));
        return sentences;
    }

    private static FloatMatrix embed(boolean quantized, List<String> sentences) {
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(quantized, false)) {
            return embedder.embed(sentences);
        }
    }

    private static double cosine(float[] a, FloatMatrix m, int row) {
        double dot = 0;
        for (int d = 0; d < a.length; d++) {
            dot += a[d] * m.get(row, d);
        }
        return dot;
    }

    @Test
    void should_give_the_same_vectors_as_langchain4j_in_any_order_and_batch() {
        // given
        List<String> sentences = sentences();
        EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        // when
        FloatMatrix batched = embed(false, sentences);
        // then: every row equals LangChain4j's vector for that sentence, and the blank row is a unit row
        assertThat(batched.rows()).isEqualTo(sentences.size());
        assertThat(batched.cols()).isEqualTo(384);
        assertThat(cosine(batched.row(7), batched, 7)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        double worst = 0;
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i).isBlank()) {
                continue; // LangChain4j refuses blank text
            }
            float[] expected = reference
                    .embed(TextSegment.from(sentences.get(i)))
                    .content()
                    .vector();
            for (int d = 0; d < expected.length; d++) {
                worst = Math.max(worst, Math.abs(expected[d] - batched.get(i, d)));
            }
        }
        assertThat(worst).as("largest difference from LangChain4j's vectors").isLessThan(1e-4);
    }

    @Test
    void should_keep_the_quantized_model_as_close_to_float32_as_langchain4j_does() {
        // given: int8 activations are quantised per input tensor, so a batched row moves a little with its batch
        List<String> sentences = sentences();
        FloatMatrix exact = embed(false, sentences);
        EmbeddingModel oneByOne = new AllMiniLmL6V2QuantizedEmbeddingModel();
        // when
        FloatMatrix batched = embed(true, sentences);
        // then: against float32, the batched rows are on average as close as LangChain4j's one-by-one rows
        double batchedSum = 0;
        double oneByOneSum = 0;
        double batchedLeast = 1;
        int n = 0;
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i).isBlank()) {
                continue;
            }
            float[] single =
                    oneByOne.embed(TextSegment.from(sentences.get(i))).content().vector();
            double b = cosine(batched.row(i), exact, i);
            batchedSum += b;
            batchedLeast = Math.min(batchedLeast, b);
            oneByOneSum += cosine(single, exact, i);
            n++;
        }
        System.out.printf(
                "int8 MiniLM against float32: mean cosine %.4f batched (least %.4f), %.4f one by one%n",
                batchedSum / n, batchedLeast, oneByOneSum / n);
        assertThat(batchedSum / n).isGreaterThan(oneByOneSum / n - 0.005);
        assertThat(batchedLeast).isGreaterThan(0.95);
    }
}
