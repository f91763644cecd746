package hmn.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import hmn.cli.Hmn;
import hmn.demo.ConceptSceneSet;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.runtime.Fixtures;
import hmn.runtime.onnx.MaskedOnnxModel;
import hmn.server.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Transaction;

/**
 * hmn validate on a graph built from a user's ONNX file (the exported fixture net, its intermediate tensor
 * /net/Relu_output_0 as the layer): the ablation runs the file's graph with the layer's readers edited, and the
 * effect on the model's first output matches a direct computation; a file other than the recorded one is refused.
 */
class ValidateOnnxModelTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run hmn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hmn.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void should_ablate_a_layer_inside_a_users_onnx_model() throws Exception {
        // given
        Path model = Fixtures.path("onnx").resolve("tiny.onnx");
        Path images = dir.resolve("images");
        ConceptSceneSet.write(images, 24, 5, 96);
        Path db = dir.resolve("db");
        Run ingest = hmn(
                "ingest",
                images.toString(),
                "--db",
                db.toString(),
                "--captions",
                images.resolve(ConceptSceneSet.TRUE_CAPTIONS).toString(),
                "--model",
                model.toString(),
                "--layers",
                "/net/Relu_output_0",
                "--no-progress",
                "--no-cache");
        assertThat(ingest.code()).as(ingest.err() + ingest.out()).isZero();
        String layer = "_net_Relu_output_0";
        Map<String, Object> picked = query(
                        db,
                        "MATCH (c:Cluster) WHERE c.level = 1 CALL hmn.cluster.sharedNeurons(c, {layer: '" + layer
                                + "'}) YIELD neuron WITH c, collect(neuron) AS group WHERE size(group) > 0 "
                                + "RETURN c.id AS id, group ORDER BY id LIMIT 1")
                .get(0);
        String id = (String) picked.get("id");
        int[] group = ((List<?>) picked.get("group"))
                .stream().mapToInt(n -> ((Number) n).intValue()).toArray();

        // when
        Run run = hmn(
                "validate",
                "--db",
                db.toString(),
                "--model",
                model.toString(),
                "--layers",
                layer,
                "--clusters",
                id,
                "--images-per-cluster",
                "2",
                "--random-sets",
                "3",
                "--ablation",
                "zero",
                "--images",
                images.toString(),
                "--no-progress");

        // then: the mean over the cluster's first 2 images of ||z - z_S|| / ||z||, z = all of stage2's values
        assertThat(run.code()).as(run.err()).isZero();
        double stored = ((Number)
                        query(db, "MATCH (c:Cluster {id: '" + id + "'}) RETURN c.ablationEffect_" + layer + " AS e")
                                .get(0)
                                .get("e"))
                .doubleValue();
        List<String> members = query(
                        db,
                        "MATCH (:Cluster {id: '" + id + "'})-[:CONTAINS]->(i:Image) RETURN i.id AS id ORDER BY i.row"
                                + " LIMIT 2")
                .stream()
                .map(r -> (String) r.get("id"))
                .toList();
        double expected = 0;
        try (MaskedOnnxModel net = MaskedOnnxModel.load(model, layer, 224, 1)) {
            for (String image : members) {
                float[] x = ImageNetPreprocessing.IMAGENET.apply(
                        ImageDecoder.defaults().decode(images.resolve(image)));
                float[] keep = new float[8];
                Arrays.fill(keep, 1f);
                float[] z = net.logits(x, keep, new float[8], 1);
                for (int j : group) {
                    keep[j] = 0;
                }
                float[] ablated = net.logits(x, keep, new float[8], 1);
                double change = 0;
                double norm = 0;
                for (int k = 0; k < z.length; k++) {
                    change += (z[k] - ablated[k]) * (double) (z[k] - ablated[k]);
                    norm += z[k] * (double) z[k];
                }
                expected += Math.sqrt(change / norm) / members.size();
            }
        }
        assertThat(stored).isCloseTo(expected, within(1e-6 + 1e-5 * expected));

        // another file than the recorded one, or none, is refused with one line
        Path other = dir.resolve("other.onnx");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length - 1] ^= 1;
        Files.write(other, bytes);
        for (String[] args : List.of(
                new String[] {"--model", other.toString(), "--images", images.toString()},
                new String[] {"--images", images.toString()},
                new String[] {"--model", model.toString()})) {
            List<String> full = new ArrayList<>(List.of("validate", "--db", db.toString(), "--no-progress"));
            full.addAll(List.of(args));
            Run refused = hmn(full.toArray(String[]::new));
            assertThat(refused.code()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err().lines()).hasSize(1);
        }
    }

    static List<Map<String, Object>> query(Path db, String cypher) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Store store = Store.open(db);
                Transaction tx = store.db().beginTx();
                var result = tx.execute(cypher)) {
            result.forEachRemaining(rows::add);
        }
        return rows;
    }
}
