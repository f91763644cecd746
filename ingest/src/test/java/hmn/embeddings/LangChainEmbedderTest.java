package hmn.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.bench.LocalLlmServer;
import hmn.core.BadInputException;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.language.options.LanguageOptions;
import hmn.language.options.LanguageStages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Embeddings on the real all-MiniLM-L6-v2 models shipped in LangChain4j's jars, and a local OpenAI server. */
class LangChainEmbedderTest {
    static final List<String> CAPTIONS = List.of(
            "a dog running on a sandy beach",
            "a puppy playing on the beach near the sea",
            "a red sports car parked on a city street",
            "a bowl of fresh fruit on a kitchen table");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void should_embed_captions_as_unit_rows_where_similar_captions_are_close(boolean quantized) {
        // given
        try (hmn.embeddings.Embedder embedder = LangChainEmbedder.miniLm(quantized, false)) {
            // when
            FloatMatrix m = embedder.embed(CAPTIONS);
            // then
            assertThat(m.rows()).isEqualTo(4);
            assertThat(m.cols()).isEqualTo(384).isEqualTo(embedder.dimension());
            for (int r = 0; r < m.rows(); r++) {
                assertThat(dot(m, r, r)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
            }
            assertThat(dot(m, 0, 1)).isGreaterThan(dot(m, 0, 2)).isGreaterThan(0.5);
            assertThat(dot(m, 0, 2)).isLessThan(0.4);
        }
    }

    @Test
    void should_give_the_same_rows_whatever_the_batch_size() {
        // given
        LangChainEmbedder small = LangChainEmbedder.builder()
                .model(new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel())
                .name("q")
                .batchSize(3)
                .build();
        // when
        FloatMatrix batched = small.embed(CAPTIONS);
        FloatMatrix whole = LangChainEmbedder.builder()
                .model(new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel())
                .name("q")
                .batchSize(256)
                .build()
                .embed(CAPTIONS);
        // then
        for (int i = 0; i < whole.data().length; i++) {
            assertThat(batched.data()[i]).isCloseTo(whole.data()[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void should_embed_through_an_openai_compatible_server() throws Exception {
        // given: a server that answers each input with [length, index]
        try (LocalLlmServer server = LocalLlmServer.start(call -> {
            com.fasterxml.jackson.databind.JsonNode input = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(call.body())
                    .get("input");
            List<float[]> vectors = new java.util.ArrayList<>();
            for (int i = 0; i < input.size(); i++) {
                vectors.add(new float[] {input.get(i).asText().length(), i});
            }
            return LocalLlmServer.embeddings(vectors);
        })) {
            LanguageOptions options = new LanguageOptions();
            options.baseUrl = server.openAiBaseUrl();
            options.apiKey = "k";
            options.timeoutSeconds = 10;
            options.concurrency = 1;
            options.attempts = 2;
            options.noProgress = true;
            options.env = Map.of();
            // when
            FloatMatrix m = LanguageStages.embedder("openai:text-embedding-3-small", options)
                    .embed(CAPTIONS);
            // then
            assertThat(server.calls().get(0).path()).isEqualTo("/v1/embeddings");
            assertThat(m.rows()).isEqualTo(4);
            assertThat(m.row(2)).containsExactly(CAPTIONS.get(2).length(), 2f);
        }
    }

    @Test
    void should_import_an_npy_with_one_row_per_caption() throws Exception {
        // given
        Path file = dir.resolve("e.npy");
        Npy.write(file, new FloatMatrix(2, 3, new float[] {1, 2, 3, 4, 5, 6}));
        ImportedEmbeddings imported = ImportedEmbeddings.load(file);
        // when / then
        assertThat(imported.embed(List.of("a", "b")).row(1)).containsExactly(4, 5, 6);
        assertThatThrownBy(() -> imported.embed(List.of("a", "b", "c")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("embeddings file " + file + " has 2 rows but there are 3 captions; it needs one row per"
                        + " caption, in captions order");
    }

    private static double dot(FloatMatrix m, int a, int b) {
        double s = 0;
        for (int c = 0; c < m.cols(); c++) {
            s += m.get(a, c) * m.get(b, c);
        }
        return s;
    }
}
