package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.bench.LocalLlmServer;
import hmn.demo.SampleSet;
import hmn.server.Store;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

/**
 * An image the chat captioner cannot caption (every answer refused by the validator) is skipped with its reason, in
 * the run's summary and on the graph, while the run goes on; the next run tries it again, and only it.
 */
class CaptionFailureIngestTest {
    @TempDir
    Path tmp;

    /** Refuses (an empty answer) images whose centre is magenta while {@code refuse} holds; else names the colour. */
    private static LocalLlmServer.Reply answer(LocalLlmServer.Call call, AtomicBoolean refuse) throws Exception {
        BufferedImage img = call.image();
        int rgb = img.getRGB(img.getWidth() / 2, img.getHeight() / 2);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r > 200 && g < 60 && b > 200 && refuse.get()) {
            return LocalLlmServer.chat(call, "");
        }
        String colour = r >= g && r >= b ? "red" : g >= b ? "green" : "blue";
        return LocalLlmServer.chat(
                call, "A scene in " + colour + " tones with a " + (r + g + b > 380 ? "bright" : "dark") + " sky.");
    }

    private static List<String> query(Path db, String cypher) {
        List<String> rows = new ArrayList<>();
        try (Store store = Store.open(db);
                Transaction tx = store.db().beginTx();
                Result r = tx.execute(cypher)) {
            while (r.hasNext()) {
                rows.add(r.next().values().toString());
            }
        }
        return rows;
    }

    @Test
    void should_skip_an_image_that_gets_no_caption_and_caption_it_on_the_next_run() throws Exception {
        // given: 12 scenes and one magenta square that the captioning server refuses to describe
        Path images = tmp.resolve("images");
        SampleSet.write(images, 1, 5);
        BufferedImage magenta = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = magenta.createGraphics();
        g.setColor(Color.MAGENTA);
        g.fillRect(0, 0, 96, 96);
        g.dispose();
        Files.createDirectories(images.resolve("odd"));
        ImageIO.write(magenta, "png", images.resolve("odd/magenta.png").toFile());
        AtomicBoolean refuse = new AtomicBoolean(true);
        Path db = tmp.resolve("db");
        try (LocalLlmServer server = LocalLlmServer.start(call -> answer(call, refuse))) {
            String[] args = {
                "ingest",
                images.toString(),
                "--db",
                db.toString(),
                "--random-weights",
                "3",
                "--captioner",
                "openai:vision",
                "--llm-base-url",
                server.openAiBaseUrl(),
                "--llm-key",
                "k",
                "--llm-attempts",
                "2",
                "--cache-dir",
                tmp.resolve("cache").toString(),
                "--no-progress"
            };
            // when
            CliRun first = CliRun.of(args);
            // then: the run finishes, says what it skipped and why, and the graph holds the image as skipped
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out())
                    .contains("1 failed (skipped; a re-run tries them again)")
                    .contains("odd/magenta.png: caption: captioning with openai:vision");
            assertThat(query(db, "MATCH (i:Image) WHERE i.skipped IS NULL RETURN count(i)"))
                    .containsExactly("[12]");
            assertThat(query(
                            db,
                            "MATCH (i:Image {id: 'odd/magenta.png'}) RETURN i.skipped STARTS WITH 'caption:',"
                                    + " COUNT { (i)--() }"))
                    .containsExactly("[true, 0]");
            int callsBefore = server.calls().size();

            // when: the server answers now
            refuse.set(false);
            CliRun second = CliRun.of(args);
            // then: only the skipped image is captioned again, and it joins the graph
            assertThat(second.code()).as(second.err()).isZero();
            assertThat(server.calls().size() - callsBefore).isEqualTo(1);
            assertThat(query(db, "MATCH (i:Image) WHERE i.skipped IS NULL RETURN count(i)"))
                    .containsExactly("[13]");
            assertThat(query(db, "MATCH (i:Image {id: 'odd/magenta.png'})-[:ACTIVATES]->() RETURN count(*) > 0"))
                    .containsExactly("[true]");
        }
    }
}
