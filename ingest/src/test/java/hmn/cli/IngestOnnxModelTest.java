package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.artifacts.SyntheticCollection;
import hmn.server.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

/** {@code hmn ingest --model FILE.onnx}: an ONNX model's intermediate tensor and output become the graph's layers. */
class IngestOnnxModelTest {
    @Test
    void should_build_the_graph_from_an_onnx_models_tensors(@TempDir Path tmp) throws Exception {
        // given
        SyntheticCollection.Files data = SyntheticCollection.builder()
                .images(24)
                .clustersPerLevel(4, 2)
                .layers(Map.of("layer4", 8))
                .writeImages(true)
                .build()
                .writeTo(tmp.resolve("data"));
        Path model = Path.of(getClass()
                .getClassLoader()
                .getResource("hmn/fixtures/onnx/tiny.onnx")
                .toURI());
        Path db = tmp.resolve("db");

        // when
        CliRun run = CliRun.of(
                "ingest",
                data.images().toString(),
                "--db",
                db.toString(),
                "--captions",
                data.captions().toString(),
                "--partitions",
                data.partitions().toString(),
                "--model",
                model.toString(),
                "--layers",
                "/net/Relu_output_0,logits");

        // then
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(Files.readString(tmp.resolve("db.work/activations/run.json")))
                .contains("\"_net_Relu_output_0\" : \"/net/Relu_output_0\"");
        try (Store store = Store.open(db);
                Transaction tx = store.db().beginTx();
                Result r = tx.execute("MATCH (l:Layer) RETURN l.name AS name, l.channels AS channels ORDER BY name")) {
            assertThat(r.stream()
                            .map(row -> row.get("name") + ":" + row.get("channels"))
                            .toList())
                    .containsExactly("_net_Relu_output_0:8", "logits:5");
        }
    }
}
