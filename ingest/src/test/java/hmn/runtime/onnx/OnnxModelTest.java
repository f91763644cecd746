package hmn.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.cli.Hmn;
import hmn.core.BadInputException;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.runtime.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX models under study, on {@code fixtures/onnx/tiny.onnx} (exported by {@code models/tools/make_onnx_fixture.py})
 * against what PyTorch computed for the same images.
 */
@Tag("parity")
class OnnxModelTest {
    static final Path FIXTURE = Fixtures.path("onnx");
    static final Path IMAGES = Fixtures.path("torchvision").resolve("images");
    static final Path MODEL = FIXTURE.resolve("tiny.onnx");
    static final String STAGE1 = "/net/Relu_output_0";

    @Test
    void should_agree_with_pytorch_on_graph_outputs_and_an_intermediate_tensor() throws Exception {
        // given
        List<String> images = Files.readAllLines(FIXTURE.resolve("expected/images.txt"));
        ImageNetPreprocessing pre = ImageNetPreprocessing.IMAGENET;
        float[] input = new float[images.size() * pre.tensorSize()];
        for (int i = 0; i < images.size(); i++) {
            pre.apply(
                    ImageDecoder.defaults().decode(IMAGES.resolve(images.get(i))), input, i * pre.tensorSize(), false);
        }

        // when
        Map<String, FloatMatrix> actual;
        Map<String, Integer> layers;
        try (OnnxModel model = OnnxModel.load(MODEL, List.of(STAGE1, "stage2", "logits"), 224, 1)) {
            layers = model.layers();
            actual = model.activations(input, images.size());
        }

        // then
        assertThat(layers)
                .containsExactly(Map.entry("_net_Relu_output_0", 8), Map.entry("stage2", 16), Map.entry("logits", 5));
        Map<String, String> expectedFile =
                Map.of("_net_Relu_output_0", "stage1", "stage2", "stage2", "logits", "logits");
        for (Map.Entry<String, String> e : expectedFile.entrySet()) {
            FloatMatrix expected = Npy.read(FIXTURE.resolve("expected/" + e.getValue() + ".npy"));
            FloatMatrix got = actual.get(e.getKey());
            assertThat(got.cols()).isEqualTo(expected.cols());
            for (int r = 0; r < expected.rows(); r++) {
                assertThat(Fixtures.relativeError(got.row(r), expected.row(r)))
                        .as(e.getKey())
                        .isLessThan(1e-5);
            }
        }
    }

    @Test
    void should_refuse_an_output_that_is_neither_a_feature_map_nor_a_vector() {
        assertThatThrownBy(() -> OnnxModel.load(MODEL, List.of("stage2", "tokens"), 224, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessage("layer 'tokens' of tiny.onnx has shape [1, 16, 3136]; only [N, C, H, W] (C neurons,"
                        + " spatial means) or [N, C] can be neurons: choose another tensor or reshape it in the"
                        + " exported model");
    }

    @Test
    void should_name_the_outputs_and_intermediate_tensors_for_an_unknown_layer() {
        assertThatThrownBy(() -> OnnxModel.load(MODEL, List.of("layer4"), 224, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(
                        "unknown layer 'layer4' for tiny.onnx; its graph outputs: stage2, logits, tokens;"
                                + " or an intermediate tensor (a node's output) of its ")
                .hasMessageContaining("/net/conv1/Conv_output_0, " + STAGE1);
    }

    @Test
    void should_refuse_a_file_that_is_not_an_onnx_model(@TempDir Path dir) throws Exception {
        Path fake = Files.writeString(dir.resolve("fake.onnx"), "not a model at all");

        assertThatThrownBy(() -> OnnxModel.load(fake, List.of("out"), 224, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("--model " + fake + ": ");
    }

    @Test
    void should_refuse_a_model_whose_input_is_not_an_image_batch_of_the_preprocessed_size() {
        assertThatThrownBy(() -> OnnxModel.load(MODEL, List.of("logits"), 192, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("tiny.onnx: input 'image' is ")
                .hasMessageEndingWith("; hmn feeds float images N x 3 x 192 x 192 (ImageNet preprocessing): export"
                        + " the model with that input");
    }

    @Test
    void should_list_graph_names_from_the_protobuf() throws Exception {
        // when
        OnnxGraph graph = OnnxGraph.parse(Files.readAllBytes(MODEL));

        // then
        assertThat(graph.inputs()).containsExactly("image");
        assertThat(graph.outputs()).containsExactly("stage2", "logits", "tokens");
        assertThat(graph.intermediates())
                .contains("/net/conv1/Conv_output_0", STAGE1)
                .doesNotContain("stage2");
        OnnxGraph extended = OnnxGraph.parse(graph.withOutputs(List.of(STAGE1)));
        assertThat(extended.outputs()).containsExactly("stage2", "logits", "tokens", STAGE1);
        assertThat(extended.inputs()).containsExactly("image");
    }

    @Test
    void should_record_an_onnx_models_layers_from_the_command_line(@TempDir Path dir) throws Exception {
        // given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // when
        int code = Hmn.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "activations",
                IMAGES.toString(),
                "--out",
                dir.toString(),
                "--model",
                MODEL.toString(),
                "--layers",
                STAGE1 + ",logits",
                "--batch",
                "3",
                "--threads",
                "1",
                "--no-progress");

        // then
        assertThat(code).as(err.toString()).isEqualTo(0);
        List<String> images = Files.readAllLines(dir.resolve("images.txt"));
        assertThat(images).hasSize(11);
        List<String> expectedImages = Files.readAllLines(FIXTURE.resolve("expected/images.txt"));
        FloatMatrix logits = Npy.read(dir.resolve("logits.npy"));
        FloatMatrix expected = Npy.read(FIXTURE.resolve("expected/logits.npy"));
        for (int r = 0; r < expectedImages.size(); r++) {
            float[] row = logits.row(images.indexOf(expectedImages.get(r)));
            assertThat(Fixtures.relativeError(row, expected.row(r))).isLessThan(1e-5);
        }
        assertThat(Npy.read(dir.resolve("_net_Relu_output_0.npy")).cols()).isEqualTo(8);
        assertThat(Files.readString(dir.resolve("run.json"))).contains("\"weights\" : \"onnx:tiny.onnx sha256=");
        assertThat(out.toString()).contains("activations: 11 images written (0 from an earlier run), 3 skipped");
    }
}
