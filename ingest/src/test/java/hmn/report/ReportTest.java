package hmn.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.artifacts.SyntheticCollection;
import hmn.cli.Hmn;
import hmn.core.BadInputException;
import hmn.graph.GraphImport;
import hmn.graph.ImportOptions;
import hmn.labels.ExtractiveLabeller;
import hmn.server.Store;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path tmp;

    @Test
    void should_escape_markup_in_text_and_in_script_strings() {
        assertThat(Html.escape("<script>alert('x') & \"y\"</script>"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
        assertThat(Html.jsString("</script><!-- \"a\"\n"))
                .isEqualTo("\"\\u003c/script\\u003e\\u003c!-- \\\"a\\\"\\u000a\"");
        assertThat(Html.escape(null)).isEmpty();
    }

    @Test
    void should_read_every_group_in_one_pass_as_the_procedures_give_them() throws Exception {
        // given a graph
        Path db = graph(tmp);
        try (Store store = Store.open(db)) {
            ReportGraph one = ReportGraph.read(store.db(), 4);
            ReportGraph all = ReportGraph.read(store.db(), 4);
            // when one reads every group at once
            all.readGroups();
            // then each group and difference set is the procedures' answer, in the same order
            for (String c : one.clusters().keySet()) {
                for (ReportGraph.Layer l : one.layers()) {
                    assertThat(all.sharedNeurons(c, l.name()))
                            .as(c + " " + l.name())
                            .isEqualTo(one.sharedNeurons(c, l.name()));
                    assertThat(all.differenceNeurons(c, l.name()))
                            .as(c + " " + l.name())
                            .isEqualTo(one.differenceNeurons(c, l.name()));
                }
            }
        }
    }

    @Test
    void should_show_a_script_caption_as_text_on_every_page() throws Exception {
        // given a graph whose largest cluster's caption is markup
        Path db = graph(tmp);
        try (Store store = Store.open(db)) {
            store.db()
                    .executeTransactionally(
                            "MATCH (c:Cluster {id: 'L1-0'}) SET c.caption = $c",
                            Map.of("c", "<script>window.bad = 1</script>"));
            ReportPages pages = ReportPages.of(store.db(), null, tmp.resolve("db.work"), tmp.resolve("out/t"), tmp, 4);
            // when
            ReportWriter.write(pages, tmp.resolve("out"), List.of(), false);
        }
        // then no page holds the raw tag, and the cluster's page shows it escaped
        try (var files = Files.walk(tmp.resolve("out"))) {
            for (Path f : files.filter(
                            p -> p.toString().endsWith(".html") || p.toString().endsWith(".js"))
                    .toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("<script>window.bad");
            }
        }
        assertThat(Files.readString(tmp.resolve("out/c/L1-0.html"))).contains("&lt;script&gt;window.bad = 1");
        assertThat(Files.readString(tmp.resolve("out/assets/index.js"))).contains("\\u003cscript\\u003ewindow.bad");
    }

    @Test
    void should_refuse_a_non_empty_directory_that_is_not_a_report_with_exit_2() throws Exception {
        // given a directory with someone's file
        Path db = graph(tmp);
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        // when
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hmn.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "report",
                "--db",
                db.toString(),
                "--out",
                foreign.toString(),
                "--no-progress");
        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("hmn: --out " + foreign + " is a non-empty directory that is"
                        + " not an hmn report (no .hmn-report); give an empty or new directory");
        assertThat(foreign.resolve("notes.txt")).hasContent("mine");
        assertThatThrownBy(() -> ReportWriter.requireReportDir(foreign)).isInstanceOf(BadInputException.class);
        // and a report directory is accepted again
        assertThat(Hmn.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "report",
                        "--db",
                        db.toString(),
                        "--out",
                        tmp.resolve("report").toString(),
                        "--no-progress"))
                .isZero();
        assertThat(Hmn.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "report",
                        "--db",
                        db.toString(),
                        "--out",
                        tmp.resolve("report").toString(),
                        "--no-progress",
                        "--clusters",
                        "L1-0"))
                .isZero();
    }

    @Test
    void should_reuse_a_thumbnail_newer_than_its_source_and_replace_an_unreadable_image() throws Exception {
        // given an image and a file that is not one
        Path images = Files.createDirectories(tmp.resolve("images/sub"));
        BufferedImage picture = new BufferedImage(640, 320, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(10, 10, 0xff0000);
        ImageIO.write(picture, "png", images.resolve("a.png").toFile());
        Files.writeString(images.resolve("broken.jpg"), "not an image");
        Thumbnails thumbnails = new Thumbnails(tmp.resolve("images"), tmp.resolve("out/t"));
        // when / then: written, then reused
        Thumbnails.Thumbnail first = thumbnails.thumbnail("sub/a.png");
        assertThat(first.outcome()).isEqualTo(Thumbnails.Outcome.WRITTEN);
        BufferedImage thumb =
                ImageIO.read(tmp.resolve("out").resolve(first.path()).toFile());
        assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).isEqualTo(160);
        assertThat(thumb.getHeight()).isEqualTo(80);
        assertThat(thumbnails.thumbnail("sub/a.png").outcome()).isEqualTo(Thumbnails.Outcome.REUSED);
        // a source changed after its thumbnail is done again
        Files.setLastModifiedTime(images.resolve("a.png"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(thumbnails.thumbnail("sub/a.png").outcome()).isEqualTo(Thumbnails.Outcome.WRITTEN);
        // unreadable, missing, or outside the collection: the placeholder
        for (String bad : List.of("sub/broken.jpg", "missing.png", "../outside.png")) {
            Thumbnails.Thumbnail t = thumbnails.thumbnail(bad);
            assertThat(t.outcome()).as(bad).isEqualTo(Thumbnails.Outcome.PLACEHOLDER);
            assertThat(tmp.resolve("out").resolve(t.path())).isRegularFile();
        }
    }

    /** A small imported graph (60 images in 6 and 2 clusters, layer4 of 64 channels) at {@code dir/db}. */
    static Path graph(Path dir) throws Exception {
        return graph(dir, 64, false);
    }

    static Path graph(Path dir, int channels, boolean images) throws Exception {
        SyntheticCollection.Files data = SyntheticCollection.builder()
                .images(60)
                .clustersPerLevel(6, 2)
                .layers(Map.of("layer4", channels))
                .writeImages(images)
                .build()
                .writeTo(dir.resolve("data"));
        Path db = dir.resolve("db");
        GraphImport.run(
                new GraphImport.Inputs(
                        data.images(), data.captions(), data.partitions(), data.activations(), List.of(), null),
                ImportOptions.defaults(),
                ExtractiveLabeller.builder().build(),
                db);
        return db;
    }
}
