package hmn.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hmn.server.Store;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report of a small graph in headless Chromium ({@code browser-tests/report-e2e.mjs}, playwright-core): the
 * overview, a cluster page and a neuron page by their links; every image loads, no console error, the activation
 * maps (recomputed by a seeded ResNet18 that run.json records) are drawn. Screenshots go to
 * {@code target/report-screenshots/}. Skipped when node, Chromium or browser-tests/node_modules are missing.
 */
class ReportBrowserTest {
    @TempDir
    Path tmp;

    @Test
    void should_open_the_overview_a_cluster_and_a_neuron_page_with_images_and_heatmaps_in_headless_chromium()
            throws Exception {
        // given node, playwright-core and Chromium
        Path root = Path.of("").toAbsolutePath().getParent();
        Path tests = root.resolve("browser-tests");
        assumeTrue(onPath("node"), "node not found: install Node.js 18+");
        assumeTrue(
                Files.isDirectory(tests.resolve("node_modules/playwright-core")),
                tests + "/node_modules/playwright-core is missing: run 'npm ci' in " + tests);
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assumeTrue(Files.isExecutable(Path.of(chromium)), chromium + " not found: apt-get install chromium");
        // and a graph of 60 images with layer4 of ResNet18's 512 channels, whose run.json records a seeded ResNet18
        Path db = ReportTest.graph(tmp, 512, true);
        Path work = Files.createDirectories(tmp.resolve("db.work/activations"));
        Files.writeString(
                work.resolve("run.json"),
                "{\"model\": \"resnet18\", \"engine\": \"onnxruntime\","
                        + " \"weights\": \"random:seed=0 (untrained, hmn seeded formula)\", \"layers\": [\"layer4\"]}");
        Path out = tmp.resolve("report");
        try (Store store = Store.open(db)) {
            store.db()
                    .executeTransactionally("MATCH (c:Cluster {level: 1}) WITH c ORDER BY c.id LIMIT 1"
                            + " SET c.caption = '<script>console.error(\"injected\")</script> ' + c.caption");
            ReportPages pages = ReportPages.of(
                    store.db(), tmp.resolve("data/images"), tmp.resolve("db.work"), out.resolve("t"), tmp, 6);
            try (Heatmaps h = pages.heatmaps()) {
                ReportWriter.write(pages, out, List.of(), false);
            }
        }
        Path shots =
                Files.createDirectories(Path.of("target/report-screenshots").toAbsolutePath());
        // when
        Process p = new ProcessBuilder("node", "report-e2e.mjs", out.toString(), shots.toString())
                .directory(tests.toFile())
                .redirectErrorStream(true)
                .start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // then
        assertThat(finished).as("node finished; output: %s", output).isTrue();
        assertThat(p.exitValue()).as("exit code; output: %s", output).isZero();
        assertThat(output).startsWith("ok: overview, cluster page");
        for (String shot : List.of("report-overview.png", "report-cluster.png", "report-neuron.png")) {
            assertThat(Files.size(shots.resolve(shot))).as(shot).isGreaterThan(10_000);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
