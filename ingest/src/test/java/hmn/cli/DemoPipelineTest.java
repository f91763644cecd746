package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.demo.SampleSet;
import hmn.server.Store;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on generated scenes: activations (ResNet18; seeded random weights where the published ones
 * cannot be fetched), captions (the scenes' true captions where BLIP cannot be fetched), MiniLM embeddings, FINCH,
 * the graph. A second run reuses every finished stage and gives the same graph.
 */
class DemoPipelineTest {
    @TempDir
    Path dir;

    @Test
    void should_build_the_graph_from_images_and_reuse_finished_stages_on_a_second_run() throws Exception {
        Path images = dir.resolve("images");
        SampleSet.write(images, 2, 11); // 24 scenes of 12 kinds
        Path db = dir.resolve("db");

        CliRun first =
                CliRun.of("demo", "--images", images.toString(), "--db", db.toString(), "--no-progress", "--no-cache");
        assertThat(first.code()).as(first.err() + first.out()).isZero();
        assertThat(first.out()).contains("activations  computed", "embeddings   computed", "partitions   computed");
        Map<String, Object> graph = summary(db);

        CliRun second =
                CliRun.of("demo", "--images", images.toString(), "--db", db.toString(), "--no-progress", "--no-cache");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("activations  reused", "embeddings   reused", "partitions   reused");
        assertThat(summary(db)).isEqualTo(graph);
        assertThat(graph.get("images")).isEqualTo(24L);
        assertThat((Long) graph.get("uses")).isPositive();
        assertThat(graph.get("layers")).isEqualTo(4L);
        assertThat(graph.get("engine")).isEqualTo("onnxruntime");
        // the trained model, not random weights
        assertThat(graph.get("model")).isEqualTo("scenes-resnet18");
        assertThat(graph.get("randomWeights")).isEqualTo(false);
        assertThat((String) graph.get("weights")).startsWith("hmn:scenes-resnet18 hmn-scenes-v1 sha256=60d7db0a");
        assertThat(first.out()).contains("A neuron group: L1-", "A difference set: ", "See them: ./hmn report");
    }

    private static Map<String, Object> summary(Path db) {
        try (Store store = Store.open(db)) {
            return store.db()
                    .executeTransactionally(
                            "MATCH (i:Image) WITH count(i) AS images "
                                    + "MATCH (c:Cluster) WITH images, count(c) AS clusters, collect(c.id + ':' + c.caption) AS captions "
                                    + "MATCH ()-[u:USES]->() WITH images, clusters, captions, count(u) AS uses "
                                    + "MATCH (l:Layer) WITH images, clusters, captions, uses, count(l) AS layers "
                                    + "MATCH (m:Model) RETURN images, clusters, size(captions) AS labelled, uses, layers,"
                                    + " m.engine AS engine, m.name AS model, m.randomWeights AS randomWeights, m.weights AS weights",
                            Map.of(),
                            r -> r.next());
        }
    }
}
