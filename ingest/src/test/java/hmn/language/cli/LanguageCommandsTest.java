package hmn.language.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.cli.Hmn;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.language.caption.CaptionRow;
import hmn.language.caption.CaptionsFile;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone commands, by exit code and captured output. */
class LanguageCommandsTest {
    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int hmn(String... args) {
        return Hmn.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void should_embed_a_captions_file_into_an_npy_in_captions_order() {
        // given
        Path captions = dir.resolve("captions.csv");
        CaptionsFile.write(captions, List.of(new CaptionRow("a.jpg", "a dog on a beach"),
                new CaptionRow("b.jpg", "a red car"), new CaptionRow("c.jpg", "a dog on a beach")));
        Path npy = dir.resolve("e.npy");
        // when
        int code = hmn("embed", "--captions", captions.toString(), "--out", npy.toString(), "--embedder", "minilm-q",
                "--no-progress");
        // then
        assertThat(code).as(err.toString()).isZero();
        FloatMatrix m = Npy.read(npy);
        assertThat(m.rows()).isEqualTo(3);
        assertThat(m.cols()).isEqualTo(384);
        assertThat(m.row(2)).containsExactly(m.row(0));
        assertThat(out.toString()).startsWith("wrote " + npy + ": 3 x 384 float32 (all-minilm-l6-v2-q, ");
    }

    @Test
    void should_exit_2_with_one_line_for_an_unknown_embedder() {
        // given
        Path captions = dir.resolve("captions.csv");
        CaptionsFile.write(captions, List.of(new CaptionRow("a.jpg", "a dog")));
        // when
        int code = hmn("embed", "--captions", captions.toString(), "--out", dir.resolve("e.npy").toString(),
                "--embedder", "bert");
        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("hmn: --embedder must be one of minilm (default), minilm-q, openai:MODEL,"
                + " import:FILE.npy; got 'bert'" + System.lineSeparator());
    }

    @Test
    void should_import_captions_in_the_order_of_the_images_and_name_a_missing_one() throws Exception {
        // given
        Path images = Files.createDirectories(dir.resolve("images"));
        for (String name : List.of("b.png", "a.png")) {
            ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", images.resolve(name).toFile());
        }
        Path in = dir.resolve("in.jsonl");
        CaptionsFile.write(in, List.of(new CaptionRow("b.png", "bee"), new CaptionRow("a.png", "ant")));
        Path result = dir.resolve("out.csv");
        // when
        int code = hmn("captions", images.toString(), "--out", result.toString(), "--captioner", "import:" + in);
        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(CaptionsFile.read(result)).containsExactly(new CaptionRow("a.png", "ant"), new CaptionRow("b.png", "bee"));
        // and when an image has no caption
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", images.resolve("c.png").toFile());
        assertThat(hmn("captions", images.toString(), "--out", result.toString(), "--captioner", "import:" + in))
                .isEqualTo(2);
        assertThat(err.toString()).contains("has no caption for 1 image(s) of IMAGES_DIR, e.g. 'c.png'");
    }

    @Test
    void should_caption_with_a_local_blip_checkpoint_and_serve_a_rerun_from_the_cache() throws Exception {
        // given: a tiny BLIP checkpoint with seeded weights, and three images (two with the same bytes)
        Path tiny = hmn.caption.blip.TinyBlip.write(dir.resolve("tiny"), 42);
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 2; i++) {
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xff0000);
            ImageIO.write(img, "png", images.resolve("img" + i + ".png").toFile());
        }
        Files.copy(images.resolve("img0.png"), images.resolve("same.png"));
        Path result = dir.resolve("captions.jsonl");
        String[] args = {"captions", images.toString(), "--out", result.toString(), "--captioner", "blip:" + tiny,
            "--cache-dir", dir.resolve("cache").toString(), "--no-progress"};
        // when
        int first = hmn(args);
        String firstOut = out.toString();
        int second = hmn(args);
        // then
        assertThat(first).as(err.toString()).isZero();
        assertThat(second).as(err.toString()).isZero();
        assertThat(firstOut).contains("3 captions (2 captioned by blip");
        assertThat(out.toString()).contains("3 captions (0 captioned by blip", ", 3 from the cache)");
        List<CaptionRow> rows = CaptionsFile.read(result);
        assertThat(rows).extracting(CaptionRow::image).containsExactly("img0.png", "img1.png", "same.png");
        assertThat(rows.get(0).caption()).isEqualTo(rows.get(2).caption());
    }
}
