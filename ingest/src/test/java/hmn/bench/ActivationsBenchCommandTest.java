package hmn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.cli.Hmn;
import hmn.images.ImageDecoder;
import hmn.images.RgbImage;
import hmn.runtime.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The photo and memory cases of {@code hmn bench activations}, at toy sizes with the ONNX fixture model. */
class ActivationsBenchCommandTest {
    static final String MODEL = Fixtures.path("onnx").resolve("tiny.onnx").toString();

    @Test
    void should_write_photo_like_jpegs_of_the_requested_size(@TempDir Path dir) throws Exception {
        // when
        List<String> names = BenchImages.write(dir, 3, 400, 300, 1);

        // then
        assertThat(names).containsExactly("photo-0000.jpg", "photo-0001.jpg", "photo-0002.jpg");
        RgbImage image = ImageDecoder.defaults().decode(dir.resolve(names.get(2)));
        assertThat(image.width()).isEqualTo(400);
        assertThat(image.height()).isEqualTo(300);
    }

    @Test
    void should_sample_memory_every_k_images_of_a_run() {
        // given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // when
        int code = Hmn.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "bench",
                "activations",
                "--model",
                MODEL,
                "--layers",
                "stage2,logits",
                "--memory-images",
                "40",
                "--memory-every",
                "16",
                "--image-size",
                "320x256",
                "--batch",
                "8",
                "--threads",
                "1",
                "--decode-threads",
                "1");

        // then
        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines)
                .anyMatch(l -> l.matches("\\s+16\\s.*"))
                .anyMatch(l -> l.matches("\\s+32\\s.*"))
                .anyMatch(l -> l.matches("\\s+40\\s.*"));
        assertThat(out.toString()).contains("from 16 to 40 images: resident ");
    }

    @Test
    void should_report_each_part_and_the_reduced_decodes_effect_on_photos() {
        // given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // when
        int code = Hmn.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "bench",
                "activations",
                "--model",
                MODEL,
                "--layers",
                "stage2",
                "--photos",
                "2",
                "--photo-size",
                "1200x800",
                "--batch",
                "2",
                "--threads",
                "1",
                "--decode-threads",
                "1");

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("one thread, median per photo: full decode ")
                .contains("end to end, full decode, 1 decoding thread(s): ")
                .contains("end to end, reduced decode, 1 decoding thread(s): ")
                .contains("reduced vs full decode, stage2 (2 images): ");
    }

    @Test
    void should_time_an_onnx_models_forward() {
        // given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // when
        int code = Hmn.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "bench",
                "activations",
                "--model",
                MODEL,
                "--layers",
                "stage2,logits",
                "--batch",
                "2",
                "--threads",
                "1",
                "--seconds",
                "0.2");

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .containsPattern("hmn-onnxruntime \\S*tiny.onnx nchw batch=2 threads=1: [0-9.]+ images/s");
    }

    @Test
    void should_refuse_a_malformed_size() {
        StringWriter err = new StringWriter();

        int code = Hmn.run(
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true),
                "bench",
                "activations",
                "--model",
                MODEL,
                "--layers",
                "stage2",
                "--photos",
                "1",
                "--photo-size",
                "3000by2000");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("hmn: --photo-size must be WIDTHxHEIGHT with both at least 256, got '3000by2000'");
    }

    @Test
    void should_time_both_engines_against_the_measured_matrix_multiply_bound() {
        // given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // when
        int code = Hmn.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "bench",
                "activations",
                "--layers",
                "layer1",
                "--batch",
                "1",
                "--threads",
                "1",
                "--seconds",
                "0.2",
                "--matmul-size",
                "64",
                "--format",
                "channels-last");

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .containsPattern("matrix-multiply bound: float32 64x64 products \\(ONNX Runtime MatMul\\), 1 threads:"
                        + " [0-9.]+ GFLOP/s; resnet18 needs 3.63 GFLOP per image")
                .containsPattern("hmn-onnxruntime resnet18 nchw batch=1 threads=1: [0-9.]+ images/s .*[0-9]+% of the"
                        + " matrix-multiply bound")
                .containsPattern("hmn-djl resnet18 channels-last batch=1 threads=1: [0-9.]+ images/s");
    }

    @Test
    void should_refuse_an_unknown_engine() {
        StringWriter err = new StringWriter();

        int code = Hmn.run(
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true),
                "bench",
                "activations",
                "--engine",
                "tvm");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("hmn: --engine must be onnxruntime or pytorch, got 'tvm'");
    }
}
