package hmn.captions.blip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.runtime.Engine;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the Java pipeline with reference outputs for the tiny checkpoint from two sources: an independent
 * PyTorch/Pillow re-implementation (src/test/python/blip_reference.py wrote tiny-reference.json) and Hugging Face
 * transformers' own BlipForConditionalGeneration and BlipImageProcessor, the code real checkpoints are made for
 * (src/test/python/blip_transformers_reference.py wrote tiny-transformers.json).
 */
@ExtendWith(OneTorchThread.class)
@Tag("parity")
class BlipReferenceTest {
    @TempDir
    static Path temp;

    static final String REFERENCE = "tiny-reference.json";
    static final String TRANSFORMERS = "tiny-transformers.json";
    static Path tiny;

    @BeforeAll
    static void setUp() throws IOException {
        tiny = TinyBlip.write(temp.resolve("tiny"), 42);
    }

    static InputStream resource(String name) {
        return BlipReferenceTest.class.getResourceAsStream("/hmn/caption/blip/" + name);
    }

    static BufferedImage image(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return ImageIO.read(in);
        }
    }

    @Test
    void should_resize_exactly_like_pillow_bicubic() throws IOException {
        // given
        BufferedImage photo = image("photo.png");
        JsonNode reference = reference(REFERENCE);

        // when / then
        assertThat(resizedRgb(photo, 80, 90))
                .isEqualTo(Base64.getDecoder()
                        .decode(reference.path("upscaled_80x90_rgb").asText()));
        assertThat(resizedRgb(photo, 24, 13))
                .isEqualTo(Base64.getDecoder()
                        .decode(reference.path("downscaled_24x13_rgb").asText()));
    }

    static JsonNode reference(String file) throws IOException {
        try (InputStream in = resource(file)) {
            JsonNode json = new ObjectMapper().readTree(in);
            assertThat(json.path("seed").asLong()).isEqualTo(42);
            return json;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {REFERENCE, TRANSFORMERS})
    void should_match_the_reference_pixels_image_embeddings_and_logits(String file) throws IOException {
        JsonNode reference = reference(file);
        BlipConfig config = BlipConfig.read(tiny.resolve("config.json"));
        BlipImageProcessor processor = new BlipImageProcessor(config.vision().imageSize());
        JniUtils.setGradMode(false);
        try (BlipModel model = BlipModel.load(tiny.resolve("model.safetensors"), config);
                NDManager batch = model.manager().newSubManager()) {
            for (JsonNode expected : reference.path("images")) {
                // given
                float[] pixels = processor.process(image(expected.path("image").asText()));
                assertThat(pixels).containsExactly(floats(expected.path("pixels")), within(1e-5f));

                // when
                NDArray embeds = model.encodeImages(batch.create(pixels, new Shape(1, 3, 32, 32)));
                BlipModel.DecoderState state = model.start(embeds, batch);
                float[] first = state.step(
                                batch.create(new long[] {config.text().bosTokenId()}), batch)
                        .toFloatArray();
                int firstToken = expected.path("greedy").get(0).asInt();
                float[] second =
                        state.step(batch.create(new long[] {firstToken}), batch).toFloatArray();

                // then
                assertThat(embeds.getShape()).isEqualTo(new Shape(1, 5, 32));
                assertThat(embeds.toFloatArray()).containsExactly(floats(expected.path("image_embeds")), within(1e-4f));
                assertThat(first).containsExactly(floats(expected.path("first_logits")), within(1e-3f));
                assertThat(second).containsExactly(floats(expected.path("second_logits")), within(1e-3f));
            }
        }
    }

    @Test
    void should_encode_images_on_onnx_runtime_like_pytorch_and_the_reference() throws IOException {
        BlipConfig config = BlipConfig.read(tiny.resolve("config.json"));
        BlipImageProcessor processor = new BlipImageProcessor(config.vision().imageSize());
        JniUtils.setGradMode(false);
        try (BlipModel model = BlipModel.load(tiny.resolve("model.safetensors"), config);
                OnnxVisionEncoder onnx = new OnnxVisionEncoder(model, 1);
                NDManager batch = model.manager().newSubManager()) {
            // given: both reference images in one batch
            JsonNode images = reference(TRANSFORMERS).path("images");
            float[] first = processor.process(image(images.get(0).path("image").asText()));
            float[] second = processor.process(image(images.get(1).path("image").asText()));
            float[] pixels = new float[first.length * 2];
            System.arraycopy(first, 0, pixels, 0, first.length);
            System.arraycopy(second, 0, pixels, first.length, second.length);

            // when
            NDArray fromOnnx = onnx.encode(pixels, 2, batch);
            NDArray fromTorch = model.encodeImages(batch.create(pixels, new Shape(2, 3, 32, 32)));

            // then
            assertThat(fromOnnx.getShape()).isEqualTo(new Shape(2, 5, 32));
            assertThat(fromOnnx.toFloatArray()).containsExactly(fromTorch.toFloatArray(), within(1e-5f));
            float[] expected = new float[2 * 5 * 32];
            System.arraycopy(floats(images.get(0).path("image_embeds")), 0, expected, 0, 5 * 32);
            System.arraycopy(floats(images.get(1).path("image_embeds")), 0, expected, 5 * 32, 5 * 32);
            assertThat(fromOnnx.toFloatArray()).containsExactly(expected, within(1e-4f));
        }
    }

    @Test
    void should_caption_the_same_on_either_engine() throws IOException {
        List<BufferedImage> images = List.of(image("photo.png"), image("photo2.png"));
        try (BlipCaptioner onnx =
                        BlipCaptioner.builder().modelDir(tiny).beams(3).build();
                BlipCaptioner torch = BlipCaptioner.builder()
                        .modelDir(tiny)
                        .beams(3)
                        .engine(Engine.PYTORCH)
                        .build()) {
            assertThat(onnx.engine()).isEqualTo(Engine.ONNXRUNTIME);
            assertThat(torch.generate(images)).isEqualTo(onnx.generate(images));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {REFERENCE, TRANSFORMERS})
    void should_generate_the_reference_greedy_captions_with_and_without_a_prompt(String file) throws IOException {
        JsonNode reference = reference(file);
        List<BufferedImage> images = new ArrayList<>();
        List<List<Integer>> plain = new ArrayList<>();
        List<List<Integer>> prompted = new ArrayList<>();
        for (JsonNode expected : reference.path("images")) {
            images.add(image(expected.path("image").asText()));
            plain.add(ints(expected.path("greedy")));
            prompted.add(ints(expected.path("greedy_with_prompt")));
        }
        try (BlipCaptioner captioner = BlipCaptioner.builder().modelDir(tiny).build();
                BlipCaptioner withPrompt = BlipCaptioner.builder()
                        .modelDir(tiny)
                        .prompt("A photo of")
                        .build()) {
            assertThat(captioner.generate(images)).isEqualTo(plain);
            assertThat(withPrompt.generate(images)).isEqualTo(prompted);
            assertThat(withPrompt.caption(images)).allSatisfy(c -> assertThat(c).startsWith("a photo of"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {REFERENCE, TRANSFORMERS})
    void should_find_the_reference_beam_search_captions_with_and_without_a_prompt(String file) throws IOException {
        JsonNode reference = reference(file);
        List<BufferedImage> images = new ArrayList<>();
        List<List<Integer>> plain = new ArrayList<>();
        List<List<Integer>> prompted = new ArrayList<>();
        for (JsonNode expected : reference.path("images")) {
            images.add(image(expected.path("image").asText()));
            plain.add(ints(expected.path("beam3")));
            prompted.add(ints(expected.path("beam3_with_prompt")));
        }
        try (BlipCaptioner captioner =
                        BlipCaptioner.builder().modelDir(tiny).beams(3).build();
                BlipCaptioner withPrompt = BlipCaptioner.builder()
                        .modelDir(tiny)
                        .beams(3)
                        .prompt("a photo of")
                        .build()) {
            assertThat(captioner.generate(images)).isEqualTo(plain);
            assertThat(withPrompt.generate(images)).isEqualTo(prompted);
        }
    }

    private static byte[] resizedRgb(BufferedImage image, int w, int h) {
        return BlipImageProcessor.resize(image, w, h).pixels();
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
