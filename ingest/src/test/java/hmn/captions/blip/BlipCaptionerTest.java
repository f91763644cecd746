package hmn.captions.blip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import hmn.core.BadInputException;
import hmn.download.FakeHub;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(OneTorchThread.class)
@Tag("parity")
class BlipCaptionerTest {
    @TempDir
    static Path temp;

    static Path tiny;

    @BeforeAll
    static void writeTinyModel() throws IOException {
        tiny = TinyBlip.write(temp.resolve("tiny"), 42);
    }

    static List<BufferedImage> images(int n, long seed) {
        Random random = new Random(seed);
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(40 + 7 * i, 30 + 5 * i, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillOval(random.nextInt(20), random.nextInt(20), 20, 15);
            g.dispose();
            out.add(image);
        }
        return out;
    }

    @Test
    void should_caption_a_batch_deterministically_and_independently_of_batching() {
        // given
        List<BufferedImage> images = images(5, 7);
        try (BlipCaptioner captioner =
                BlipCaptioner.builder().modelDir(tiny).batchSize(2).build()) {
            // when
            List<String> first = captioner.caption(images);
            List<String> second = captioner.caption(images);
            List<String> oneByOne = images.stream()
                    .map(i -> captioner.caption(List.of(i)).get(0))
                    .toList();

            // then
            assertThat(first).hasSize(5).isEqualTo(second).isEqualTo(oneByOne);
            assertThat(first)
                    .allSatisfy(
                            c -> assertThat(c).isNotBlank().doesNotContain("[").isEqualTo(c.strip()));
            assertThat(captioner.model()).isEqualTo("blip:tiny");
            assertThat(captioner.preferredBatchSize()).isEqualTo(2);
            assertThat(captioner.caption(List.of())).isEmpty();
        }
    }

    @Test
    void should_use_the_config_max_length_counting_the_start_token() {
        try (BlipCaptioner captioner = BlipCaptioner.builder().modelDir(tiny).build();
                BlipCaptioner prompted = BlipCaptioner.builder()
                        .modelDir(tiny)
                        .prompt("a photo of")
                        .build();
                BlipCaptioner five =
                        BlipCaptioner.builder().modelDir(tiny).maxTokens(5).build()) {
            assertThat(captioner.maxTokens()).isEqualTo(19);
            assertThat(prompted.maxTokens()).isEqualTo(16);
            assertThat(five.generate(images(3, 1)))
                    .allSatisfy(t -> assertThat(t).hasSizeLessThanOrEqualTo(5));
        }
    }

    @Test
    void should_stop_at_sep_and_never_emit_it() throws IOException {
        // given: a checkpoint whose LM head always prefers [SEP]
        Path dir = TinyBlip.write(temp.resolve("sep"), 42, (name, values) -> {
            if (name.equals(BlipWeights.HEAD_BIAS)) {
                values[TinyBlip.sepId()] = 1000f;
            }
        });
        try (BlipCaptioner greedy = BlipCaptioner.builder().modelDir(dir).build();
                BlipCaptioner beams =
                        BlipCaptioner.builder().modelDir(dir).beams(3).build()) {
            // when / then
            assertThat(greedy.generate(images(2, 3))).containsExactly(List.of(), List.of());
            assertThat(greedy.caption(images(2, 3))).containsExactly("", "");
            assertThat(beams.caption(images(2, 3))).containsExactly("", "");
        }
    }

    @Test
    void should_strip_special_tokens_from_the_caption() throws IOException {
        // given: a checkpoint that prefers [UNK] at every step
        Path dir = TinyBlip.write(temp.resolve("unk"), 42, (name, values) -> {
            if (name.equals(BlipWeights.HEAD_BIAS)) {
                values[1] = 1000f;
            }
        });
        try (BlipCaptioner captioner =
                BlipCaptioner.builder().modelDir(dir).maxTokens(4).build()) {
            // when / then
            assertThat(captioner.generate(images(1, 3))).containsExactly(List.of(1, 1, 1, 1));
            assertThat(captioner.caption(images(1, 3))).containsExactly("");
        }
    }

    @Test
    void should_decode_with_one_beam_exactly_like_greedy() {
        List<BufferedImage> images = images(4, 11);
        try (BlipCaptioner captioner = BlipCaptioner.builder().modelDir(tiny).build();
                BlipCaptioner oneBeam =
                        BlipCaptioner.builder().modelDir(tiny).beams(1).build()) {
            List<List<Integer>> greedy = captioner.generate(images);
            assertThat(oneBeam.generate(images)).isEqualTo(greedy);
            // the beam search code path with a single beam
            BlipModel model = BlipModel.load(tiny.resolve("model.safetensors"), captioner.config());
            try (model;
                    NDManager batch = model.manager().newSubManager()) {
                BlipImageProcessor processor = new BlipImageProcessor(TinyBlip.IMAGE);
                float[] pixels = new float[images.size() * 3 * 32 * 32];
                for (int i = 0; i < images.size(); i++) {
                    System.arraycopy(processor.process(images.get(i)), 0, pixels, i * 3 * 32 * 32, 3 * 32 * 32);
                }
                NDArray embeds = model.encodeImages(batch.create(pixels, new Shape(images.size(), 3, 32, 32)));
                List<List<Integer>> beam = new CaptionSearch(model)
                        .beam(embeds, List.of(TinyBlip.bosId()), captioner.maxTokens(), 1, batch);
                assertThat(beam).isEqualTo(greedy);
            }
        }
    }

    @Test
    void should_beam_search_deterministically_and_independently_of_batching() {
        List<BufferedImage> images = images(3, 5);
        try (BlipCaptioner beams =
                BlipCaptioner.builder().modelDir(tiny).beams(3).build()) {
            List<List<Integer>> together = beams.generate(images);
            List<List<Integer>> apart = new ArrayList<>();
            for (BufferedImage image : images) {
                apart.addAll(beams.generate(List.of(image)));
            }
            assertThat(together).hasSize(3).isEqualTo(apart).isEqualTo(beams.generate(images));
            assertThat(together)
                    .allSatisfy(t -> assertThat(t).hasSizeLessThanOrEqualTo(19).doesNotContain(TinyBlip.sepId()));
        }
    }

    @Test
    void should_read_the_vocabulary_from_vocab_txt_without_tokenizer_json() throws IOException {
        // given
        Path dir = TinyBlip.write(temp.resolve("vocab-only"), 42);
        Files.delete(dir.resolve("tokenizer.json"));
        List<BufferedImage> images = images(2, 9);
        try (BlipCaptioner json = BlipCaptioner.builder().modelDir(tiny).build();
                BlipCaptioner txt = BlipCaptioner.builder().modelDir(dir).build()) {
            // when / then
            assertThat(txt.caption(images)).isEqualTo(json.caption(images));
        }
    }

    @Test
    void should_name_missing_and_unexpected_parameters_when_config_and_weights_disagree() throws IOException {
        // given: weights of 2 vision layers, a config that asks for 3 text layers and 1 vision layer
        Path dir = TinyBlip.write(temp.resolve("mismatch"), 42);
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(
                dir.resolve("config.json"),
                config.replaceFirst("\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : 1")
                        .replaceFirst(
                                "(\"text_config\"[\\s\\S]*)\"num_hidden_layers\" : 2", "$1\"num_hidden_layers\" : 3"));

        // when / then
        assertThatThrownBy(() -> BlipCaptioner.builder().modelDir(dir).build())
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("BLIP weights " + dir.resolve("model.safetensors")
                        + " do not match its config.json: missing 26 [text_decoder.bert.encoder.layer.2.")
                .hasMessageContaining("unexpected 12 [vision_model.encoder.layers.1.layer_norm1.bias")
                .hasMessageEndingWith("use the model.safetensors and config.json of one "
                        + "BlipForConditionalGeneration checkpoint");
    }

    @Test
    void should_accept_tied_weights_stored_under_either_name() throws IOException {
        // given: the word embeddings stored only as the LM head's decoder weight, its bias only as decoder.bias
        Path dir = TinyBlip.write(temp.resolve("tied"), 42);
        Path weights = dir.resolve("model.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.ndarray.NDList list;
            try (var in = Files.newInputStream(weights)) {
                list = ai.djl.ndarray.NDList.decode(manager, in);
            }
            for (NDArray a : list) {
                if (a.getName().equals(BlipWeights.WORD_EMBEDDINGS)) {
                    a.setName(BlipWeights.DECODER_WEIGHT);
                } else if (a.getName().equals(BlipWeights.HEAD_BIAS)) {
                    a.setName(BlipWeights.DECODER_BIAS);
                }
            }
            try (var out = Files.newOutputStream(weights)) {
                list.encode(out, ai.djl.ndarray.NDList.Encoding.SAFETENSORS);
            }
        }
        List<BufferedImage> images = images(2, 21);
        try (BlipCaptioner tied = BlipCaptioner.builder().modelDir(dir).build();
                BlipCaptioner plain = BlipCaptioner.builder().modelDir(tiny).build()) {
            // when / then
            assertThat(tied.caption(images)).isEqualTo(plain.caption(images));
        }
    }

    @Test
    void should_load_a_half_precision_checkpoint_with_integer_buffers_like_its_float32_source() throws IOException {
        // given: the tiny weights stored as float16, plus the int64 position_ids buffer older checkpoints carry
        Path dir = TinyBlip.write(temp.resolve("half"), 42);
        Path weights = dir.resolve("model.safetensors");
        BlipConfig config = BlipConfig.read(dir.resolve("config.json"));
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.ndarray.NDList half = new ai.djl.ndarray.NDList();
            for (Map.Entry<String, NDArray> e :
                    BlipWeights.load(weights, config, manager).entrySet()) {
                if (!e.getKey().equals(BlipWeights.DECODER_WEIGHT)) { // tied: filled in from the embeddings
                    NDArray a = e.getValue().toType(DataType.FLOAT16, true);
                    a.setName(e.getKey());
                    half.add(a);
                }
            }
            NDArray positions = manager.arange(0L, 64L).reshape(1, 64);
            positions.setName(BlipWeights.TEXT + "embeddings.position_ids");
            half.add(positions);
            Path halfDir = Files.createDirectories(temp.resolve("half-16"));
            Files.copy(dir.resolve("config.json"), halfDir.resolve("config.json"));
            try (var out = Files.newOutputStream(halfDir.resolve("model.safetensors"))) {
                half.encode(out, ai.djl.ndarray.NDList.Encoding.SAFETENSORS);
            }

            // when
            Map<String, NDArray> full = BlipWeights.load(weights, config, manager);
            Map<String, NDArray> loaded = BlipWeights.load(halfDir.resolve("model.safetensors"), config, manager);

            // then: every parameter is there, float16 until the model converts it, within float16 rounding
            assertThat(loaded.keySet()).isEqualTo(full.keySet());
            NDArray qkv = loaded.get(BlipWeights.VISION + "encoder.layers.0.self_attn.qkv.weight");
            assertThat(qkv.getDataType()).isEqualTo(DataType.FLOAT16);
            for (Map.Entry<String, NDArray> e : full.entrySet()) {
                NDArray back = loaded.get(e.getKey()).toType(DataType.FLOAT32, true);
                assertThat(back.allClose(e.getValue(), 2e-3, 1e-4, false))
                        .as(e.getKey())
                        .isTrue();
            }
            for (String file : List.of("tokenizer.json", "vocab.txt", "preprocessor_config.json")) {
                Files.copy(dir.resolve(file), halfDir.resolve(file));
            }
            try (BlipCaptioner captioner =
                    BlipCaptioner.builder().modelDir(halfDir).build()) {
                assertThat(captioner.caption(images(2, 5))).hasSize(2).doesNotContainNull();
            }
        }
    }

    @Test
    void should_name_a_parameter_of_the_wrong_shape() throws IOException {
        Path dir = TinyBlip.write(temp.resolve("shape"), 42);
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(
                dir.resolve("config.json"),
                config.replace("\"max_position_embeddings\" : 64", "\"max_position_embeddings\" : 40"));
        assertThatThrownBy(() -> BlipCaptioner.builder().modelDir(dir).build())
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("wrong shape [text_decoder.bert.embeddings.position_embeddings.weight "
                        + "(64, 32) (expected (40, 32))]");
    }

    @Test
    void should_say_what_is_missing_in_a_model_directory() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        Files.copy(tiny.resolve("config.json"), empty.resolve("config.json"));
        assertThatThrownBy(() -> BlipCaptioner.builder().modelDir(empty).build())
                .isInstanceOf(BadInputException.class)
                .hasMessage("no tokenizer.json or vocab.txt in " + empty
                        + " (copy them from the checkpoint's Hugging Face repository)");
        assertThatThrownBy(() ->
                        BlipCaptioner.builder().modelDir(temp.resolve("absent")).build())
                .isInstanceOf(BadInputException.class)
                .hasMessage("BLIP model directory " + temp.resolve("absent") + " does not exist");
        assertThatThrownBy(
                        () -> BlipCaptioner.builder().modelDir(tiny).beams(-1).build())
                .isInstanceOf(BadInputException.class)
                .hasMessage("BLIP beams must be at least 1, got -1");
    }

    @Test
    void should_caption_with_a_checkpoint_fetched_from_the_hub_once() throws IOException {
        // given
        List<BufferedImage> images = images(2, 13);
        try (FakeHub hub = FakeHub.serving("hmn-test/tiny-blip", tiny);
                BlipCaptioner local = BlipCaptioner.builder().modelDir(tiny).build()) {
            Path cache = temp.resolve("cache");
            // when
            List<String> fetched;
            try (BlipCaptioner captioner = BlipCaptioner.builder()
                    .cacheDir(cache)
                    .endpoint(hub.uri())
                    .repo("hmn-test/tiny-blip")
                    .progress(false)
                    .build()) {
                fetched = captioner.caption(images);
                assertThat(captioner.model()).isEqualTo("blip:hmn-test/tiny-blip");
            }
            int requests = hub.requests().size();
            try (BlipCaptioner again = BlipCaptioner.builder()
                    .cacheDir(cache)
                    .endpoint(hub.uri())
                    .repo("hmn-test/tiny-blip")
                    .build()) {
                assertThat(again.caption(images)).isEqualTo(fetched);
            }

            // then
            assertThat(fetched).isEqualTo(local.caption(images));
            assertThat(hub.requests()).hasSize(requests);
            assertThat(cache.resolve("hmn-test--tiny-blip/main/model.safetensors"))
                    .exists();
        }
    }

    @Test
    void should_caption_with_real_weights_when_present() throws IOException {
        String dir = System.getenv("HMN_BLIP_DIR");
        assumeTrue(
                dir != null && Files.isDirectory(Path.of(dir)),
                "set HMN_BLIP_DIR to a local Salesforce/blip-image-captioning-* checkpoint to run this test");
        BufferedImage red = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = red.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 400, 300);
        g.setColor(Color.RED);
        g.fillOval(100, 50, 200, 200);
        g.dispose();
        try (BlipCaptioner captioner =
                BlipCaptioner.builder().modelDir(Path.of(dir)).build()) {
            List<String> captions = captioner.caption(Collections.nCopies(2, red));
            assertThat(captions).hasSize(2).allSatisfy(c -> assertThat(c).matches("[a-z][a-z ',.-]*"));
            assertThat(captions.get(0)).isEqualTo(captions.get(1));
        }
    }
}
