package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.format.CaptionRow;
import hmn.format.CaptionsFile;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
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
        CaptionsFile.write(
                captions,
                List.of(
                        new CaptionRow("a.jpg", "a dog on a beach"),
                        new CaptionRow("b.jpg", "a red car"),
                        new CaptionRow("c.jpg", "a dog on a beach")));
        Path npy = dir.resolve("e.npy");
        // when
        int code = hmn(
                "embed",
                "--captions",
                captions.toString(),
                "--out",
                npy.toString(),
                "--embedder",
                "minilm-q",
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
        int code = hmn(
                "embed",
                "--captions",
                captions.toString(),
                "--out",
                dir.resolve("e.npy").toString(),
                "--embedder",
                "bert");
        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("hmn: --embedder must be one of minilm (default), minilm-q, openai:MODEL,"
                        + " import:FILE.npy; got 'bert'" + System.lineSeparator());
    }

    @Test
    void should_import_captions_in_the_order_of_the_images_and_name_a_missing_one() throws Exception {
        // given
        Path images = Files.createDirectories(dir.resolve("images"));
        for (String name : List.of("b.png", "a.png")) {
            ImageIO.write(
                    new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB),
                    "png",
                    images.resolve(name).toFile());
        }
        Path in = dir.resolve("in.jsonl");
        CaptionsFile.write(in, List.of(new CaptionRow("b.png", "bee"), new CaptionRow("a.png", "ant")));
        Path result = dir.resolve("out.csv");
        // when
        int code = hmn("captions", images.toString(), "--out", result.toString(), "--captioner", "import:" + in);
        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(CaptionsFile.read(result).rows())
                .containsExactly(new CaptionRow("a.png", "ant"), new CaptionRow("b.png", "bee"));
        // and when an image has no caption
        ImageIO.write(
                new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB),
                "png",
                images.resolve("c.png").toFile());
        assertThat(hmn("captions", images.toString(), "--out", result.toString(), "--captioner", "import:" + in))
                .isEqualTo(2);
        assertThat(err.toString()).contains("has no caption for 1 image(s) of IMAGES_DIR, e.g. 'c.png'");
    }

    /** images/img0.png and img1.png, 40x30, black but for one pixel of {@code color} at (i, i). */
    Path twoImages(int color) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 2; i++) {
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, color);
            ImageIO.write(img, "png", images.resolve("img" + i + ".png").toFile());
        }
        return images;
    }

    @Test
    void should_caption_with_a_local_blip_checkpoint_and_serve_a_rerun_from_the_cache() throws Exception {
        // given: a tiny BLIP checkpoint with seeded weights, and three images (two with the same bytes)
        Path tiny = hmn.captions.blip.TinyBlip.write(dir.resolve("tiny"), 42);
        Path images = twoImages(0xff0000);
        Files.copy(images.resolve("img0.png"), images.resolve("same.png"));
        Path result = dir.resolve("captions.jsonl");
        String[] args = {
            "captions",
            images.toString(),
            "--out",
            result.toString(),
            "--captioner",
            "blip:" + tiny,
            "--cache-dir",
            dir.resolve("cache").toString(),
            "--no-progress"
        };
        // when
        int first = hmn(args);
        String firstOut = out.toString();
        int second = hmn(args);
        // then
        assertThat(first).as(err.toString()).isZero();
        assertThat(second).as(err.toString()).isZero();
        assertThat(firstOut).contains("3 captions (2 captioned by blip");
        assertThat(out.toString()).contains("3 captions (0 captioned by blip", ", 3 from the cache)");
        List<CaptionRow> rows = CaptionsFile.read(result).rows();
        assertThat(rows).extracting(CaptionRow::image).containsExactly("img0.png", "img1.png", "same.png");
        assertThat(rows.get(0).caption()).isEqualTo(rows.get(2).caption());
    }

    @Test
    void should_caption_with_blip_options_and_keep_differently_decoded_captions_apart_in_the_cache() throws Exception {
        // given: a tiny checkpoint, two images, and a first run with the checkpoint's own (greedy) decoding
        Path tiny = hmn.captions.blip.TinyBlip.write(dir.resolve("tiny"), 42);
        Path images = twoImages(0x00ff00);
        Path greedy = dir.resolve("greedy.csv");
        Path beams = dir.resolve("beams.csv");
        String cache = dir.resolve("cache").toString();
        assertThat(hmn(
                        "captions",
                        images.toString(),
                        "--out",
                        greedy.toString(),
                        "--captioner",
                        "blip:" + tiny,
                        "--cache-dir",
                        cache,
                        "--no-progress"))
                .as(err.toString())
                .isZero();
        String[] withOptions = {
            "captions",
            images.toString(),
            "--out",
            beams.toString(),
            "--captioner",
            "blip:" + tiny,
            "--cache-dir",
            cache,
            "--no-progress",
            "--blip-beams",
            "2",
            "--blip-max-tokens",
            "4",
            "--blip-engine",
            "pytorch",
            "--blip-batch",
            "1"
        };
        // when
        int first = hmn(withOptions);
        String firstOut = out.toString();
        int second = hmn(withOptions);
        // then: the options make other captions, which the greedy ones in the cache do not stand in for
        assertThat(first).as(err.toString()).isZero();
        assertThat(second).as(err.toString()).isZero();
        assertThat(firstOut).contains("2 captions (2 captioned by blip:tiny beams=2 max_tokens=4, 0 from the cache)");
        assertThat(out.toString())
                .endsWith("2 captions (0 captioned by blip:tiny beams=2 max_tokens=4, 2 from the" + " cache)"
                        + System.lineSeparator());
        for (CaptionRow row : CaptionsFile.read(beams).rows()) {
            assertThat(row.caption().split(" ")).hasSizeLessThanOrEqualTo(4);
        }
        assertThat(CaptionsFile.read(beams).rows())
                .isNotEqualTo(CaptionsFile.read(greedy).rows());
    }

    @Test
    void should_exit_2_with_one_line_for_a_bad_blip_option() throws Exception {
        // given
        Path images = Files.createDirectories(dir.resolve("images"));
        ImageIO.write(
                new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB),
                "png",
                images.resolve("a.png").toFile());
        Path tiny = hmn.captions.blip.TinyBlip.write(dir.resolve("tiny"), 42);
        String[] base = {
            "captions",
            images.toString(),
            "--out",
            dir.resolve("c.csv").toString(),
            "--no-progress",
            "--cache-dir",
            dir.resolve("cache").toString()
        };
        String nl = System.lineSeparator();
        record Case(List<String> args, String error) {}
        List<Case> cases = List.of(
                new Case(
                        List.of("--captioner", "blip:" + tiny, "--blip-engine", "tpu"),
                        "hmn: --blip-engine must be onnxruntime or pytorch, got 'tpu'"),
                new Case(
                        List.of("--captioner", "blip:" + tiny, "--blip-beams", "0"),
                        "hmn: --blip-beams must be at least 1, got 0"),
                new Case(
                        List.of("--captioner", "blip:" + tiny, "--blip-repo", "Salesforce/blip-image-captioning-large"),
                        "hmn: --blip-repo names a checkpoint to fetch, but --captioner blip:DIR already gives a local"
                                + " one; drop one of them"),
                new Case(
                        List.of("--captioner", "blip", "--blip-repo", "not a repo"),
                        "hmn: --blip-repo must be OWNER/NAME or OWNER/NAME@REVISION, e.g."
                                + " Salesforce/blip-image-captioning-base, got 'not a repo'"),
                new Case(
                        List.of("--captioner", "openai:gpt-4o-mini", "--blip-prompt", "a photo of"),
                        "hmn: the --blip-* options apply to --captioner blip or blip:DIR, not to openai:gpt-4o-mini;"
                                + " drop them or caption with BLIP"));
        for (Case c : cases) {
            err.getBuffer().setLength(0);
            List<String> args = new java.util.ArrayList<>(List.of(base));
            args.addAll(c.args());
            // when
            int code = hmn(args.toArray(String[]::new));
            // then
            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).isEqualTo(c.error() + nl);
        }
        assertThat(dir.resolve("c.csv")).doesNotExist();
    }

    Path[] labelInputs() throws Exception {
        Path captions = dir.resolve("captions.csv");
        CaptionsFile.write(
                captions,
                List.of(
                        new CaptionRow("a.jpg", "a dog on a beach"),
                        new CaptionRow("b.jpg", "two dogs on the sand"),
                        new CaptionRow("c.jpg", "a red car in a street"),
                        new CaptionRow("d.jpg", "a blue car parked in a street")));
        Path partitions = dir.resolve("partitions.csv");
        Files.writeString(partitions, "image,level_1\na.jpg,0\nb.jpg,0\nc.jpg,1\nd.jpg,1\n");
        return new Path[] {captions, partitions};
    }

    @Test
    void should_label_every_cluster_and_difference_through_an_llm_and_keep_the_key_out_of_the_files() throws Exception {
        // given
        Path[] in = labelInputs();
        Path labels = dir.resolve("labels.csv");
        Path cache = dir.resolve("cache");
        String key = "sk-label-SECRET-77";
        try (hmn.bench.LocalLlmServer server = hmn.bench.LocalLlmServer.start(call -> {
            String prompt = call.prompt();
            String answer;
            if (prompt.contains("One of its sub-groups is described as: Dogs")) {
                answer = "Dogs on sand";
            } else if (prompt.contains("One of its sub-groups is described as: Cars")) {
                answer = "Parked cars";
            } else if (prompt.contains("Sub-group descriptions:")) {
                answer = "Dogs and cars outdoors.";
            } else {
                answer = prompt.contains("car") ? "Cars in a street." : "Dogs on a beach.";
            }
            return hmn.bench.LocalLlmServer.chat(call, answer);
        })) {
            // when
            int code = hmn(
                    "label",
                    "--captions",
                    in[0].toString(),
                    "--partitions",
                    in[1].toString(),
                    "--out",
                    labels.toString(),
                    "--llm",
                    "openai:test",
                    "--llm-base-url",
                    server.openAiBaseUrl(),
                    "--llm-key",
                    key,
                    "--cache-dir",
                    cache.toString(),
                    "--no-progress");
            // then
            assertThat(code).as(err.toString()).isZero();
            assertThat(server.calls()).hasSize(5);
        }
        assertThat(Files.readAllLines(labels))
                .containsExactly(
                        "cluster,level,kind,parent,text,source,model,prompt_version,offline_default",
                        "L1-0,1,caption,,Dogs on a beach.,llm,openai:test,representative-v1,false",
                        "L1-1,1,caption,,Cars in a street.,llm,openai:test,representative-v1,false",
                        "L2-0,2,caption,,Dogs and cars outdoors.,llm,openai:test,generalisation-v1,false",
                        "L1-0,1,difference,L2-0,Dogs on sand,llm,openai:test,difference-v1,false",
                        "L1-1,1,difference,L2-0,Parked cars,llm,openai:test,difference-v1,false");
        assertThat(err.toString())
                .contains("openai:test: 5 calls, 0 answers from the cache, 0 offline fallbacks")
                .doesNotContain(key);
        assertThat(Files.readString(cache.resolve("labels.jsonl"))).doesNotContain(key);
        assertThat(Files.readString(labels) + out).doesNotContain(key);
    }

    @Test
    void should_label_offline_by_default() throws Exception {
        // given
        Path[] in = labelInputs();
        Path labels = dir.resolve("labels.csv");
        // when
        int code = hmn(
                "label", "--captions", in[0].toString(), "--partitions", in[1].toString(), "--out", labels.toString());
        // then
        assertThat(code).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(labels);
        assertThat(lines).hasSize(6);
        assertThat(lines.subList(1, 6))
                .allSatisfy(l -> assertThat(l).contains(",extractive,").endsWith(",true"));
    }
}
