package hmn.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.io.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbedderTest {
    /** Embeds a sentence as (its length, its position in the call), and records each call's sentences. */
    static final class Recording implements Embedder {
        final List<List<String>> calls = new ArrayList<>();

        @Override
        public FloatMatrix embed(List<String> sentences) {
            calls.add(List.copyOf(sentences));
            float[] data = new float[sentences.size() * 2];
            for (int i = 0; i < sentences.size(); i++) {
                data[2 * i] = sentences.get(i).length();
                data[2 * i + 1] = i;
            }
            return new FloatMatrix(sentences.size(), 2, data);
        }

        @Override
        public String model() {
            return "recording";
        }

        @Override
        public int dimension() {
            return 2;
        }
    }

    @Test
    void should_embed_each_distinct_sentence_once_and_copy_its_row_to_every_occurrence() {
        // given
        Recording embedder = new Recording();

        // when
        FloatMatrix m = embedder.embedDistinct(List.of("a dog", "a cat on a mat", "a dog", "a bird", "a dog"));

        // then
        assertThat(embedder.calls).containsExactly(List.of("a dog", "a cat on a mat", "a bird"));
        assertThat(m.rows()).isEqualTo(5);
        assertThat(m.data()).containsExactly(5, 0, 14, 1, 5, 0, 6, 2, 5, 0);
    }

    @Test
    void should_pass_sentences_through_when_all_are_distinct() {
        Recording embedder = new Recording();

        FloatMatrix m = embedder.embedDistinct(List.of("x", "yy"));

        assertThat(embedder.calls).containsExactly(List.of("x", "yy"));
        assertThat(m.data()).containsExactly(1, 0, 2, 1);
    }
}
