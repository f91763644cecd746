package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.runtime.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hmn activations} end to end on the torchvision fixture. */
@Tag("parity")
class ActivationsCommandTest {
    static final Path FIXTURE = Fixtures.path("torchvision");
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Hmn.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void should_write_torchvisions_activations_and_skip_unusable_files(@TempDir Path dir) throws Exception {
        // notes.txt in the folder is not a candidate image (CollectionFiles), so it is neither read nor skipped
        // when
        int code = run(
                "activations",
                FIXTURE.resolve("images").toString(),
                "--out",
                dir.toString(),
                "--random-weights",
                "7",
                "--layers",
                "layer2,layer4,fc",
                "--batch",
                "4",
                "--no-progress");

        // then
        assertThat(code).as(err.toString()).isEqualTo(0);
        List<String> images = Files.readAllLines(dir.resolve("images.txt"));
        assertThat(images).isEqualTo(Files.readAllLines(FIXTURE.resolve("expected/images.txt")));
        Map<String, FloatMatrix> actual = new LinkedHashMap<>();
        for (String layer : List.of("layer2", "layer4", "fc")) {
            actual.put(layer, Npy.read(dir.resolve(layer + ".npy")));
        }
        Fixtures.assertAgree(actual, FIXTURE.resolve("expected"), List.of("layer2", "layer4", "fc"), images);
        assertThat(Files.readAllLines(dir.resolve("skipped.tsv")))
                .containsExactly(
                        "empty.jpg\tempty file (0 bytes)",
                        "fake.webp\tunsupported image format: WebP (convert it to JPEG or PNG)",
                        "truncated.jpg\ttruncated or corrupt: Truncated File - Missing EOI marker");
        assertThat(out.toString())
                .contains("activations: 11 images written (0 from an earlier run), 3 skipped")
                .contains("weights random:seed=7 (untrained, hmn seeded formula)")
                .contains("skipped 1: truncated or corrupt");
        assertThat(Files.readString(dir.resolve("run.json"))).contains("\"weights\" : \"random:seed=7");
    }

    @Test
    void should_give_the_same_activations_on_both_engines_and_record_which_ran(@TempDir Path dir) throws Exception {
        // given
        Path onnx = dir.resolve("onnxruntime");
        Path torch = dir.resolve("pytorch");

        // when
        int first = run(
                "activations",
                FIXTURE.resolve("images").toString(),
                "--out",
                onnx.toString(),
                "--random-weights",
                "7",
                "--layers",
                "layer1,avgpool",
                "--no-progress");
        int second = run(
                "activations",
                FIXTURE.resolve("images").toString(),
                "--out",
                torch.toString(),
                "--random-weights",
                "7",
                "--layers",
                "layer1,avgpool",
                "--engine",
                "pytorch",
                "--no-progress");

        // then
        assertThat(first).as(err.toString()).isZero();
        assertThat(second).as(err.toString()).isZero();
        for (String layer : List.of("layer1", "avgpool")) {
            FloatMatrix a = Npy.read(onnx.resolve(layer + ".npy"));
            FloatMatrix b = Npy.read(torch.resolve(layer + ".npy"));
            assertThat(a.rows()).isEqualTo(11);
            for (int r = 0; r < a.rows(); r++) {
                assertThat(Fixtures.relativeError(a.row(r), b.row(r))).as(layer).isLessThan(1e-5);
            }
        }
        assertThat(Files.readString(onnx.resolve("run.json"))).contains("\"engine\" : \"onnxruntime\"");
        assertThat(Files.readString(torch.resolve("run.json"))).contains("\"engine\" : \"pytorch\"");
    }

    @Test
    void should_refuse_an_unknown_engine(@TempDir Path dir) {
        int code = run(
                "activations",
                FIXTURE.resolve("images").toString(),
                "--out",
                dir.toString(),
                "--random-weights",
                "1",
                "--engine",
                "tensorflow");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("hmn: --engine must be onnxruntime or pytorch, got 'tensorflow'");
    }

    @Test
    void should_resume_without_recomputing(@TempDir Path dir) {
        // given
        String[] args = {
            "activations",
            FIXTURE.resolve("images").toString(),
            "--out",
            dir.toString(),
            "--random-weights",
            "7",
            "--no-progress"
        };
        assertThat(run(args)).isEqualTo(0);

        // when
        int code = run(args);

        // then
        assertThat(code).isEqualTo(0);
        assertThat(out.toString()).contains("activations: 0 images written (11 from an earlier run), 3 skipped");
    }

    @Test
    void should_list_the_layers_when_one_is_unknown(@TempDir Path dir) {
        int code = run(
                "activations",
                FIXTURE.resolve("images").toString(),
                "--out",
                dir.toString(),
                "--random-weights",
                "1",
                "--layers",
                "layer4,conv9");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo(
                        "hmn: unknown layer 'conv9' for model resnet18; available: layer1, layer2, layer3, layer4, avgpool, fc");
    }

    @Test
    void should_refuse_a_missing_images_directory(@TempDir Path dir) {
        int code = run("activations", dir.resolve("nope").toString(), "--out", dir.toString(), "--random-weights", "1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip())
                .startsWith("hmn: IMAGES_DIR ")
                .endsWith("is not a directory; give the folder of images");
    }

    @Test
    void should_record_the_named_outputs_of_a_torchscript_model(@TempDir Path dir) throws Exception {
        // when
        int code = run(
                "activations",
                FIXTURE.resolve("images").toString(),
                "--out",
                dir.toString(),
                "--model",
                FIXTURE.resolve("tiny_script.pt").toString(),
                "--layers",
                "stage2,logits",
                "--no-progress");

        // then
        assertThat(code).as(err.toString()).isEqualTo(0);
        List<String> images = Files.readAllLines(dir.resolve("images.txt"));
        List<String> expectedImages = Files.readAllLines(FIXTURE.resolve("expected-torchscript/images.txt"));
        for (String layer : List.of("stage2", "logits")) {
            FloatMatrix all = Npy.read(dir.resolve(layer + ".npy"));
            FloatMatrix expected = Npy.read(FIXTURE.resolve("expected-torchscript/" + layer + ".npy"));
            for (int r = 0; r < expectedImages.size(); r++) {
                float[] row = all.row(images.indexOf(expectedImages.get(r)));
                assertThat(Fixtures.relativeError(row, expected.row(r)))
                        .as(layer)
                        .isLessThan(1e-4);
            }
        }
        assertThat(Files.readString(dir.resolve("run.json")))
                .contains("\"weights\" : \"torchscript:tiny_script.pt sha256=");
    }

    @Test
    void should_list_a_torchscript_models_outputs_for_an_unknown_layer(@TempDir Path dir) {
        int code = run(
                "activations",
                FIXTURE.resolve("images").toString(),
                "--out",
                dir.toString(),
                "--model",
                FIXTURE.resolve("tiny_script.pt").toString(),
                "--layers",
                "layer4");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip())
                .startsWith("hmn: unknown layer 'layer4' for tiny_script.pt; its forward returns: ")
                .contains("stage1")
                .contains("stage2")
                .contains("logits");
    }
}
