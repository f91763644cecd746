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
    void should_refuse_a_directory_that_is_not_a_store() {
        CliRun run = CliRun.of("serve", "--db", tmp.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("hmn: --db " + tmp + ": is not an hmn store (no"
                        + " hmn-store.properties); build one with 'hmn ingest' or 'hmn demo'");
    }
}
