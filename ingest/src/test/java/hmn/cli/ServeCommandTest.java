package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.artifacts.SyntheticCollection;
import hmn.graph.GraphImport;
import hmn.graph.ImportOptions;
import hmn.labels.ExtractiveLabeller;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import picocli.CommandLine;

class ServeCommandTest {
    @TempDir
    Path tmp;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void should_answer_a_bolt_driver_and_serve_neo4j_browser() throws Exception {
        // given a store
        SyntheticCollection.Files data = SyntheticCollection.builder()
                .images(40)
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
        int bolt = freePort();
        int http = freePort();
        ServeCommand serve = new ServeCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(serve);
        cli.setOut(new PrintWriter(out, true));
        // when
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() ->
                cli.execute("--db", db.toString(), "--bolt", String.valueOf(bolt), "--http", String.valueOf(http)));
        try {
            assertThat(serve.started.await(120, TimeUnit.SECONDS)).as("started").isTrue();
            // then: a Bolt driver calls a procedure
            try (Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + bolt, AuthTokens.none());
                    Session session = driver.session()) {
                List<Record> rows = session.run("CALL hmn.cluster.sharedNeurons('L1-0', {}) YIELD layer, neuron,"
                                + " support RETURN layer, neuron, support")
                        .list();
                assertThat(rows)
                        .isNotEmpty()
                        .allSatisfy(r -> assertThat(r.get("layer").asString()).isEqualTo("layer4"));
                assertThat(session.run("MATCH (c:Cluster) RETURN count(c) AS n")
                                .single()
                                .get("n")
                                .asLong())
                        .isEqualTo(9);
            }
            // and Neo4j Browser and the hmn guide are served over HTTP
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> browser = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/browser/"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(browser.statusCode()).isEqualTo(200);
            assertThat(browser.body()).containsIgnoringCase("neo4j browser");
            HttpResponse<String> guide = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/hmn/guide.html"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(guide.statusCode()).isEqualTo(200);
            assertThat(out.toString())
                    .contains("bolt://127.0.0.1:" + bolt)
                    .contains("http://127.0.0.1:" + http + "/browser/");
            // and the procedures' in-memory graph was read at start, not on the first call
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!out.toString().contains("ready:") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(out.toString()).contains("ready:   the procedures read the graph into memory in ");
        } finally {
            serve.stop.countDown();
        }
        assertThat(running.get(60, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void should_serve_the_written_report_and_render_a_missing_cluster_page_on_demand() throws Exception {
        // given a store with images, and a report written for one cluster only, at the default place beside it
        SyntheticCollection.Files data = SyntheticCollection.builder()
                .images(40)
                .clustersPerLevel(6, 2)
                .layers(Map.of("layer4", 64))
                .build()
                .writeTo(tmp.resolve("data"));
        Path db = tmp.resolve("db");
        GraphImport.run(
                new GraphImport.Inputs(
                        data.images(), data.captions(), data.partitions(), data.activations(), List.of(), null),
                ImportOptions.defaults(),
                ExtractiveLabeller.builder().build(),
                db);
        CliRun report = CliRun.of(
                "report",
                "--db",
                db.toString(),
                "--images",
                data.images().toString(),
                "--clusters",
                "L1-0",
                "--no-progress");
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(tmp.resolve("db.report/c/L1-0.html")).exists();
        assertThat(tmp.resolve("db.report/c/L2-0.html")).doesNotExist();
        int bolt = freePort();
        int http = freePort();
        ServeCommand serve = new ServeCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(serve);
        cli.setOut(new PrintWriter(out, true));
        // when
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> cli.execute(
                "--db",
                db.toString(),
                "--bolt",
                String.valueOf(bolt),
                "--http",
                String.valueOf(http),
                "--images",
                data.images().toString()));
        try {
            assertThat(serve.started.await(120, TimeUnit.SECONDS)).as("started").isTrue();
            String base = "http://127.0.0.1:" + http;
            HttpClient client = HttpClient.newHttpClient();
            // then the guide links to the report
            assertThat(get(client, base + "/hmn/guide.html").body()).contains("href=\"/hmn/report/\"");
            // and the written overview and cluster page are served
            HttpResponse<String> index = get(client, base + "/hmn/report/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).isEqualTo(java.nio.file.Files.readString(tmp.resolve("db.report/index.html")));
            assertThat(get(client, base + "/hmn/report/index.html").statusCode())
                    .isEqualTo(200);
            assertThat(get(client, base + "/hmn/report/c/L1-0.html").body())
                    .isEqualTo(java.nio.file.Files.readString(tmp.resolve("db.report/c/L1-0.html")));
            assertThat(get(client, base + "/hmn/report/assets/report.css").statusCode())
                    .isEqualTo(200);
            // and a cluster page the report lacks is rendered from the graph, with its thumbnails
            long start = System.nanoTime();
            HttpResponse<String> onDemand = get(client, base + "/hmn/report/c/L2-0.html");
            double millis = (System.nanoTime() - start) / 1e6;
            System.out.printf(java.util.Locale.ROOT, "on-demand cluster page L2-0: %.0f ms%n", millis);
            assertThat(onDemand.statusCode()).isEqualTo(200);
            assertThat(onDemand.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(onDemand.body())
                    .contains("<span class=\"id\">L2-0</span>")
                    .contains("layer4:");
            java.util.regex.Matcher thumb =
                    java.util.regex.Pattern.compile("src=\"\\.\\./(t/[^\"]+)\"").matcher(onDemand.body());
            assertThat(thumb.find()).as("a thumbnail in the page").isTrue();
            HttpResponse<byte[]> image = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/hmn/report/" + thumb.group(1)))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(image.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            start = System.nanoTime();
            assertThat(get(client, base + "/hmn/report/c/L2-1.html").statusCode())
                    .isEqualTo(200);
            System.out.printf(
                    java.util.Locale.ROOT,
                    "on-demand cluster page L2-1 (the graph read): %.0f ms%n",
                    (System.nanoTime() - start) / 1e6);
            // and a neuron page too; unknown pages and paths outside the report are not found
            assertThat(get(client, base + "/hmn/report/n/layer4-3.html").body()).contains("layer4:3");
            assertThat(get(client, base + "/hmn/report/c/nope.html").statusCode())
                    .isEqualTo(404);
            assertThat(get(client, base + "/hmn/report/../guide.html").statusCode())
                    .isIn(200, 404);
            assertThat(get(client, base + "/hmn/report/%2E%2E/%2E%2E/hmn-store.properties")
                            .statusCode())
                    .isIn(400, 404);
            assertThat(out.toString()).contains(base + "/hmn/report/");
        } finally {
            serve.stop.countDown();
        }
        assertThat(running.get(60, TimeUnit.SECONDS)).isZero();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void should_refuse_a_directory_that_is_not_a_store() {
        CliRun run = CliRun.of("serve", "--db", tmp.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("hmn: --db " + tmp + ": is not an hmn store (no"
                        + " hmn-store.properties); build one with 'hmn ingest' or 'hmn demo'");
    }
}
