package hmn.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import hmn.cli.Hmn;
import hmn.demo.ConceptSceneSet;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.SeededWeights;
import hmn.runtime.weights.Tensor;
import hmn.server.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Transaction;

/**
 * hmn validate on a graph that ingest built from 48 generated scenes with seeded random ResNet18 weights (the real
 * model code path), true captions: effects checked against a computation by definition from the graph's activations
 * and the seeded fc weights.
 */
class ValidateCommandTest {
    @TempDir
    static Path dir;

    static Path db;

    record Run(int code, String out, String err) {}

    static Run hmn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hmn.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void ingest() throws Exception {
        Path images = dir.resolve("images");
        ConceptSceneSet.write(images, 48, 5, 96);
        db = dir.resolve("db");
        Run run = hmn(
                "ingest",
                images.toString(),
                "--db",
                db.toString(),
                "--captions",
                images.resolve(ConceptSceneSet.TRUE_CAPTIONS).toString(),
                "--random-weights",
                "3",
                "--layers",
                "layer3,layer4",
                "--no-progress",
                "--no-cache");
        assertThat(run.code()).as(run.err() + run.out()).isZero();
    }

    static List<Map<String, Object>> query(String cypher) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Store store = Store.open(db);
                Transaction tx = store.db().beginTx();
                var result = tx.execute(cypher)) {
            result.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void should_store_effects_that_match_the_definition_and_resume() {
        // when
        Run run = hmn(
                "validate", "--db", db.toString(), "--images-per-cluster", "8", "--random-sets", "5", "--no-progress");

        // then
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("validate layer4:", "median lift", "median z");
        List<Map<String, Object>> rows = query("MATCH (c:Cluster) WHERE c.level = 1 "
                + "CALL hmn.cluster.validity(c, {layer: 'layer4'}) YIELD groupSize, ablationEffect, ablationZ "
                + "RETURN c.id AS id, groupSize, ablationEffect, ablationZ ORDER BY id");
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.get("ablationEffect"))
                .isNotNull());

        // the first level-1 cluster with a group, by definition: mean over its first 8 images of
        // ||W (p_S - mu_S)|| / ||W p + b|| with mu the mean over all images
        Map<String, Object> first = rows.stream()
                .filter(r -> ((Number) r.get("groupSize")).intValue() > 0)
                .findFirst()
                .orElseThrow();
        String id = (String) first.get("id");
        List<Long> group = query("CALL hmn.cluster.sharedNeurons('" + id + "', {layer: 'layer4'}) YIELD neuron "
                        + "RETURN neuron")
                .stream()
                .map(r -> ((Number) r.get("neuron")).longValue())
                .toList();
        List<Map<String, Object>> all = query("MATCH (i:Image) WHERE i.act_layer4 IS NOT NULL "
                + "RETURN i.row AS row, i.act_layer4 AS p ORDER BY row");
        List<Long> members = query("MATCH (:Cluster {id: '" + id + "'})-[:CONTAINS]->(i:Image) RETURN i.row AS row "
                        + "ORDER BY row LIMIT 8")
                .stream()
                .map(r -> ((Number) r.get("row")).longValue())
                .toList();
        Map<String, Tensor> weights = SeededWeights.generate(
                ResNetArchitecture.of(ModelCatalogue.get("resnet18")).parameterShapes(), 3);
        float[] w = weights.get("fc.weight").data();
        float[] b = weights.get("fc.bias").data();
        double[] mu = new double[512];
        for (Map<String, Object> r : all) {
            float[] p = (float[]) r.get("p");
            for (int j = 0; j < 512; j++) {
                mu[j] += p[j] / (double) all.size();
            }
        }
        double sum = 0;
        for (long row : members) {
            float[] p = (float[]) all.get((int) row).get("p");
            double change = 0;
            double norm = 0;
            for (int k = 0; k < 1000; k++) {
                double z = b[k];
                double d = 0;
                for (int j = 0; j < 512; j++) {
                    z += w[k * 512 + j] * (double) p[j];
                }
                for (long j : group) {
                    d += w[k * 512 + (int) j] * (p[(int) j] - mu[(int) j]);
                }
                change += d * d;
                norm += z * z;
            }
            sum += Math.sqrt(change / norm);
        }
        assertThat((Double) first.get("ablationEffect")).isCloseTo(sum / members.size(), within(1e-5));

        // a rerun with the same settings does nothing, another seed does it all again
        Run again = hmn(
                "validate", "--db", db.toString(), "--images-per-cluster", "8", "--random-sets", "5", "--no-progress");
        assertThat(again.out()).containsPattern("validate layer4: (\\d+) clusters \\(\\1 already done");
    }

    @Test
    void should_ablate_an_earlier_stage_by_running_the_rest_of_the_network() throws Exception {
        // given: a level-1 cluster with a layer3 group and a parent
        Map<String, Object> picked = query("MATCH (p:Cluster)-[:CONTAINS]->(c:Cluster) WHERE c.level = 1 "
                        + "CALL hmn.cluster.sharedNeurons(c, {layer: 'layer3'}) YIELD neuron "
                        + "WITH c, collect(neuron) AS group WHERE size(group) > 0 "
                        + "RETURN c.id AS id, group ORDER BY id LIMIT 1")
                .get(0);
        String id = (String) picked.get("id");
        int[] group = ((List<?>) picked.get("group"))
                .stream().mapToInt(n -> ((Number) n).intValue()).sorted().toArray();
        Path images = dir.resolve("images");

        String[] validate = {
            "validate",
            "--db",
            db.toString(),
            "--layers",
            "layer3",
            "--clusters",
            id,
            "--images-per-cluster",
            "3",
            "--random-sets",
            "3",
            "--images",
            images.toString(),
            "--no-progress"
        };

        // when
        Run run = hmn(validate);

        // then
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("validate layer3: 1 clusters (0 already done");
        Map<String, Object> stored = query("MATCH (c:Cluster {id: '" + id + "'})-[:DIFFERS_BY]->(d) RETURN "
                        + "c.ablationEffect_layer3 AS effect, c.ablationZ_layer3 AS z, "
                        + "d.ablationEffect_layer3 AS differenceEffect")
                .get(0);
        assertThat(stored.get("differenceEffect")).isNotNull();

        // by definition, through the network cut after layer3 (itself checked against PyTorch): the mean over the
        // cluster's first 3 images of ||z - z_S|| / ||z||, S's channels set to their mean over all images
        List<Map<String, Object>> all = query("MATCH (i:Image) WHERE i.act_layer3 IS NOT NULL "
                + "RETURN i.id AS id, i.act_layer3 AS p ORDER BY i.row");
        float[] mu = new float[256];
        double[] sums = new double[256];
        for (Map<String, Object> r : all) {
            float[] p = (float[]) r.get("p");
            for (int j = 0; j < 256; j++) {
                sums[j] += p[j];
            }
        }
        for (int j = 0; j < 256; j++) {
            mu[j] = (float) (sums[j] / all.size());
        }
        List<String> members = query("MATCH (:Cluster {id: '" + id + "'})-[:CONTAINS]->(i:Image) RETURN i.id AS id "
                        + "ORDER BY i.row LIMIT 3")
                .stream()
                .map(r -> (String) r.get("id"))
                .toList();
        hmn.runtime.ModelSpec spec = ModelCatalogue.get("resnet18");
        Map<String, Tensor> weights =
                SeededWeights.generate(ResNetArchitecture.of(spec).parameterShapes(), 3);
        hmn.images.ImageNetPreprocessing pre = spec.preprocessing().toTransform();
        double expected = 0;
        try (hmn.runtime.onnx.SplitResNet net = hmn.runtime.onnx.SplitResNet.of(spec, weights, "layer3", 1)) {
            for (String image : members) {
                float[] features = net.features(
                        pre.apply(hmn.images.ImageDecoder.defaults().decode(images.resolve(image))), 1);
                float[] keep = new float[256];
                java.util.Arrays.fill(keep, 1f);
                float[] z = net.logits(features, keep, new float[256], 1);
                float[] fill = new float[256];
                for (int j : group) {
                    keep[j] = 0;
                    fill[j] = mu[j];
                }
                float[] ablated = net.logits(features, keep, fill, 1);
                double change = 0;
                double norm = 0;
                for (int k = 0; k < z.length; k++) {
                    change += (z[k] - ablated[k]) * (double) (z[k] - ablated[k]);
                    norm += z[k] * (double) z[k];
                }
                expected += Math.sqrt(change / norm) / members.size();
            }
        }
        assertThat((Double) stored.get("effect")).isCloseTo(expected, within(1e-6 + 1e-5 * expected));

        // a rerun with the same settings does nothing
        Run again = hmn(validate);
        assertThat(again.out()).contains("validate layer3: 1 clusters (1 already done");
    }

    @Test
    void should_refuse_bad_input_with_one_line_and_leave_the_graph_alone() {
        String before =
                query("MATCH (c:Cluster) RETURN collect(properties(c)) AS p").toString();
        for (String[] args : List.of(
                new String[] {"--random-sets", "1"},
                new String[] {"--images-per-cluster", "0"},
                new String[] {"--levels", "9.."},
                new String[] {"--levels", "two"},
                new String[] {"--clusters", "L9-99"},
                new String[] {"--layers", "layer3"}, // needs --images
                new String[] {
                    "--layers", "avgpool", "--images", dir.resolve("images").toString()
                },
                new String[] {"--ablation", "half"},
                new String[] {"--weights", dir.resolve("missing.safetensors").toString()})) {
            List<String> full = new ArrayList<>(List.of("validate", "--db", db.toString(), "--no-progress"));
            full.addAll(List.of(args));
            Run run = hmn(full.toArray(String[]::new));
            assertThat(run.code()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(2);
            assertThat(run.err().lines()).as(String.join(" ", args)).hasSize(1);
        }
        assertThat(query("MATCH (c:Cluster) RETURN collect(properties(c)) AS p").toString())
                .isEqualTo(before);
    }

    @Test
    void should_compare_the_groups_with_random_weights_and_store_it_on_the_model_node() throws Exception {
        // when
        Run run = hmn(
                "validate",
                "--db",
                db.toString(),
                "--images-per-cluster",
                "8",
                "--random-sets",
                "5",
                "--layers",
                "layer3,layer4",
                "--randomization",
                "11",
                "--images",
                dir.resolve("images").toString(),
                "--no-progress");

        // then: both layers, the random weights' activations computed once for the two
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "randomization check, layer3, random weights seed 11:",
                        "randomization check, layer4, random weights seed 11:",
                        "rand. jaccard");
        assertThat(dir.resolve("db.work/randomization-11-layer3+layer4/layer3.npy"))
                .exists();
        // the summary's last column is each level's mean Jaccard with the random weights' groups
        assertThat(run.out().lines().filter(l -> l.matches("layer4\\s+\\d+\\s.*\\s\\d\\.\\d\\d")))
                .isNotEmpty();
        Map<String, Object> model = query("MATCH (m:Model) RETURN m.randomization_layer4_seed AS seed, "
                        + "m.randomization_layer4_jaccard AS jaccard, m.randomization_layer4_levels AS levels")
                .get(0);
        assertThat(model.get("seed")).isEqualTo(11L);
        double[] jaccard = (double[]) model.get("jaccard");
        assertThat(jaccard).hasSize(((long[]) model.get("levels")).length);
        assertThat(java.util.Arrays.stream(jaccard).boxed().toList())
                .allSatisfy(j -> assertThat(j).isBetween(0.0, 1.0));
        // the random weights move the groups: not every level keeps its trained groups
        assertThat(java.util.Arrays.stream(jaccard).min().orElseThrow()).isLessThan(1.0);

        // an image changed since ingest is refused
        Path moved = dir.resolve("moved");
        java.nio.file.Files.createDirectories(moved);
        try (var files = java.nio.file.Files.list(dir.resolve("images"))) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, moved.resolve(f.getFileName()));
            }
        }
        java.nio.file.Files.write(moved.resolve("scene_00000.jpg"), new byte[] {1, 2, 3});
        Run refused = hmn(
                "validate",
                "--db",
                db.toString(),
                "--randomization",
                "11",
                "--images",
                moved.toString(),
                "--no-progress");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err().lines()).singleElement().asString().contains("scene_00000.jpg changed since ingest");
        Run noImages = hmn("validate", "--db", db.toString(), "--randomization", "11", "--no-progress");
        assertThat(noImages.code()).isEqualTo(2);
    }
}
