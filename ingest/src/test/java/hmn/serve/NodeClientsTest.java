package hmn.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.artifacts.SyntheticCollection;
import hmn.graph.GraphImport;
import hmn.graph.ImportOptions;
import hmn.labels.ExtractiveLabeller;
import hmn.server.Store;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the project's Node.js clients against a real server (the embedded store with Bolt and HTTP on free ports, as
 * {@code hmn serve} opens it): the Neo4j Browser check in headless Chromium ({@code browser-tests/browser-e2e.mjs})
 * and the JavaScript driver example ({@code examples/javascript/shared-neurons.mjs}). Expected answers are computed
 * from the same graph through embedded queries. Skipped when node, Chromium or the npm folders' node_modules are
 * missing ({@code .ci/run} installs them).
 */
class NodeClientsTest {
    private static final long NODE_TIMEOUT_SECONDS = 120;

    @TempDir
    static Path tmp;

    private static Store store;
    private static int bolt;
    private static int http;

    @BeforeAll
    static void serve() throws IOException {
        SyntheticCollection.Files data = SyntheticCollection.builder()
                .images(60)
                .clustersPerLevel(6, 2)
                .layers(Map.of("layer4", 64))
                .writeImages(false)
                .build()
                .writeTo(tmp.resolve("data"));
        Path db = tmp.resolve("db");
        GraphImport.run(
                new GraphImport.Inputs(
                        data.images(), data.captions(), data.partitions(), data.activations(), List.of(), null),
                ImportOptions.defaults(),
                ExtractiveLabeller.builder().build(),
                db);
        bolt = freePort();
        http = freePort();
        store = Store.open(db, bolt, http);
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void should_print_the_largest_clusters_neuron_group_and_its_concepts_with_the_javascript_driver() throws Exception {
        // given the driver example with its npm dependencies
        Path root = repositoryRoot();
        requireNode(root.resolve("examples/javascript"), "neo4j-driver");
        String expected = expectedDriverExampleOutput();
        // when
        NodeRun run = node(root.resolve("examples/javascript"), "shared-neurons.mjs", "bolt://127.0.0.1:" + bolt);
        // then
        assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.out()).isEqualTo(expected);
    }

    @Test
    void should_connect_neo4j_browser_run_a_procedure_and_draw_the_styled_graph_in_headless_chromium()
            throws Exception {
        // given the browser check with its npm dependency and a Chromium
        Path root = repositoryRoot();
        requireNode(root.resolve("browser-tests"), "playwright-core");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assumeTrue(
                Files.isExecutable(Path.of(chromium)),
                chromium + " not found: install Debian's chromium"
                        + " (apt-get install chromium) or set CHROMIUM to a Chromium executable");
        String procedure = "CALL hmn.cluster.sharedNeurons('L1-0', {layer: 'layer4'}) YIELD layer, neuron, support"
                + " RETURN layer + ':' + toString(neuron) AS neuron, support ORDER BY support DESC, neuron";
        List<String> procedureRows = column(procedure, "neuron");
        assertThat(procedureRows).as("the procedure's rows").isNotEmpty();
        String graph = "MATCH (p:Cluster {id: 'L2-0'})-[r:CONTAINS]->(c:Cluster) RETURN p, r, c";
        List<String> graphCaptions = new ArrayList<>(column(
                "MATCH (p:Cluster {id: 'L2-0'})-[:CONTAINS]->(c:Cluster)"
                        + " UNWIND [p.caption, c.caption] AS caption RETURN DISTINCT caption",
                "caption"));
        assertThat(graphCaptions).as("the drawn clusters' captions").hasSizeGreaterThan(1);
        Map<String, Object> expect = new LinkedHashMap<>();
        expect.put("procedureQuery", procedure);
        expect.put("procedureText", procedureRows);
        expect.put("graphQuery", graph);
        // the style sheet captions clusters by their caption; the Browser wraps long ones by words
        expect.put(
                "graphText",
                graphCaptions.stream().map(c -> c.split(" ")[0]).distinct().toList());
        Path shots = Files.createDirectories(tmp.resolve("shots"));
        // when
        NodeRun run = node(
                root.resolve("browser-tests"),
                "browser-e2e.mjs",
                "http://127.0.0.1:" + http,
                "bolt://127.0.0.1:" + bolt,
                shots.toString(),
                new ObjectMapper().writeValueAsString(expect));
        // then
        assertThat(run.code())
                .as("exit code; stdout: %s; stderr: %s", run.out(), run.err())
                .isZero();
        assertThat(run.out()).startsWith("ok: guide opened, procedure rows shown, graph of ");
        for (String shot : List.of("browser-guide.png", "browser-procedure.png", "browser-graph.png")) {
            assertNonTrivialScreenshot(shots.resolve(shot));
        }
    }

    /** What shared-neurons.mjs prints, computed with the same queries in process. */
    private static String expectedDriverExampleOutput() {
        StringBuilder out = new StringBuilder();
        List<Map<String, Object>> group = rows(
                """
                MATCH (c:Cluster {level: 1}) WITH c ORDER BY c.size DESC, c.id LIMIT 1
                CALL hmn.cluster.sharedNeurons(c, {layer: 'layer4'}) YIELD layer, neuron, support
                RETURN c.id AS cluster, c.caption AS caption, layer, neuron, support
                ORDER BY support DESC, neuron""",
                Map.of());
        assertThat(group).as("the largest level-1 cluster's group").isNotEmpty();
        out.append("cluster ")
                .append(group.get(0).get("cluster"))
                .append(": ")
                .append(group.get(0).get("caption"))
                .append('\n');
        for (Map<String, Object> r : group) {
            out.append("  ")
                    .append(r.get("layer"))
                    .append(':')
                    .append(r.get("neuron"))
                    .append(" support ")
                    .append(fixed2(r.get("support")))
                    .append('\n');
        }
        Object neuron = group.get(0).get("neuron");
        List<Map<String, Object>> concepts = rows(
                """
                CALL hmn.neuron.concepts('layer4', $neuron, {}) YIELD cluster, level, caption, support
                RETURN cluster, level, caption, support ORDER BY level, support DESC, cluster""",
                Map.of("neuron", neuron));
        out.append("concepts using layer4:")
                .append(neuron)
                .append(": ")
                .append(concepts.size())
                .append('\n');
        for (Map<String, Object> r : concepts) {
            out.append("  level ")
                    .append(r.get("level"))
                    .append(' ')
                    .append(r.get("cluster"))
                    .append(" (")
                    .append(fixed2(r.get("support")))
                    .append("): ")
                    .append(r.get("caption"))
                    .append('\n');
        }
        return out.toString();
    }

    /** JavaScript's {@code toFixed(2)} for a non-negative number (rounds the exact binary value, ties up). */
    private static String fixed2(Object value) {
        return new BigDecimal(((Number) value).doubleValue())
                .setScale(2, RoundingMode.HALF_UP)
                .toPlainString();
    }

    private static List<Map<String, Object>> rows(String query, Map<String, Object> params) {
        return store.db().executeTransactionally(query, params, result -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            result.forEachRemaining(rows::add);
            return rows;
        });
    }

    private static List<String> column(String query, String column) {
        return rows(query, Map.of()).stream()
                .map(r -> String.valueOf(r.get(column)))
                .toList();
    }

    private static void assertNonTrivialScreenshot(Path png) throws IOException {
        assertThat(png).as("screenshot").isRegularFile();
        assertThat(Files.size(png)).as("%s size", png.getFileName()).isGreaterThan(10_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("%s decodes as an image", png.getFileName()).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1400);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size())
                .as("%s distinct colours (a blank page has a handful)", png.getFileName())
                .isGreaterThan(20);
    }

    private record NodeRun(int code, String out, String err) {}

    /** Runs {@code node script args...} in {@code dir}; killed (and failed) after {@link #NODE_TIMEOUT_SECONDS}. */
    private static NodeRun node(Path dir, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "node", ".out");
        Path err = Files.createTempFile(tmp, "node", ".err");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            boolean finished = p.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(finished)
                    .as(
                            "node %s finished within %d s; stderr so far: %s",
                            script, NODE_TIMEOUT_SECONDS, Files.readString(err, StandardCharsets.UTF_8))
                    .isTrue();
            return new NodeRun(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void requireNode(Path project, String module) {
        assumeTrue(onPath("node"), "node not found: install Node.js 18+ (e.g. apt-get install nodejs npm)");
        assumeTrue(
                Files.isDirectory(project.resolve("node_modules").resolve(module)),
                project + "/node_modules/" + module + " is missing: run 'npm ci' in " + project + " (.ci/run does)");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** The repository root: the first directory up from the working directory that holds browser-tests/. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("browser-tests")) && Files.isDirectory(dir.resolve("examples"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no browser-tests/ above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
