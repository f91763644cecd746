package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.server.Store;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Transaction;

/** Runs every query of cypher/examples against the demo graph and checks its answer. */
class ExampleQueriesTest {
    @TempDir
    static Path tmp;

    private static Store store;

    @BeforeAll
    static void build_the_demo_graph() {
        CliRun demo = CliRun.of(
                "demo",
                "--generated-artifacts",
                "--db",
                tmp.resolve("db").toString(),
                "--data",
                tmp.resolve("data").toString());
        assertThat(demo.code()).as(demo.err()).isZero();
        store = Store.open(tmp.resolve("db"));
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    static List<Map<String, Object>> run(String query) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Transaction tx = store.db().beginTx();
                var result = tx.execute(query)) {
            result.forEachRemaining(row -> rows.add(new LinkedHashMap<>(row)));
            tx.commit();
        }
        return rows;
    }

    /** A column's values as a set; integers as longs, so that int and long properties compare equal. */
    static Set<Object> column(List<Map<String, Object>> rows, String column) {
        Set<Object> values = new HashSet<>();
        rows.forEach(r -> {
            Object v = r.get(column);
            values.add(v instanceof Integer i ? Long.valueOf(i) : v);
        });
        return values;
    }

    static Map<String, Path> examples() throws IOException, URISyntaxException {
        URL url = ExampleQueriesTest.class.getClassLoader().getResource("hmn/cypher/examples");
        assertThat(url).as("cypher/examples on the class path").isNotNull();
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(Path.of(url.toURI()))) {
            list.filter(p -> p.toString().endsWith(".cypher"))
                    .forEach(p -> files.put(p.getFileName().toString(), p));
        }
        return files;
    }

    private static final Map<String, Consumer<List<Map<String, Object>>>> CHECKS = new LinkedHashMap<>();

    static {
        CHECKS.put("01-concepts-using-a-neuron.cypher", rows -> {
            assertThat(rows).isNotEmpty();
            assertThat(column(rows, "cluster"))
                    .contains("L3-0")
                    .isEqualTo(column(
                            run("CALL hmn.neuron.concepts('layer4', 412, {}) YIELD cluster RETURN cluster"),
                            "cluster"));
        });
        CHECKS.put("02-image-to-top-concept.cypher", rows -> {
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("ids")).isEqualTo(List.of("forest/img000.png", "L1-0", "L2-0", "L3-0", "L4-0"));
            assertThat((List<?>) rows.get(0).get("captions")).doesNotContainNull();
        });
        CHECKS.put("03-difference-neurons-with-description.cypher", rows -> {
            assertThat(rows).hasSize(1);
            Map<String, Object> row = rows.get(0);
            assertThat(row.get("parent")).isEqualTo("L2-3");
            assertThat((String) row.get("description")).isNotBlank();
            List<?> neurons = (List<?>) row.get("neurons");
            assertThat(((Number) row.get("size")).intValue()).isEqualTo(neurons.size());
            assertThat(new HashSet<>(neurons))
                    .isEqualTo(column(
                            run("CALL hmn.cluster.differenceNeurons('L1-3', {})"
                                    + " YIELD layer, neuron RETURN layer + ':' + neuron AS id"),
                            "id"));
        });
        CHECKS.put("04-shared-neurons-on-demand.cypher", rows -> {
            assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat((Double) r.get("support"))
                    .isGreaterThanOrEqualTo(0.5));
            assertThat(column(rows, "neuron"))
                    .isEqualTo(column(
                            run("MATCH (:Cluster {id: 'L1-3'})-[:USES]->"
                                    + "(n:Neuron {layer: 'layer4'}) RETURN n.index AS neuron"),
                            "neuron"));
        });
        CHECKS.put("05-hierarchy-overview.cypher", rows -> {
            assertThat(rows)
                    .extracting(r -> ((Number) r.get("clusters")).intValue())
                    .containsExactly(24, 6, 2, 1);
            assertThat(rows)
                    .extracting(r -> ((Number) r.get("images")).intValue())
                    .containsOnly(240);
            assertThat(rows).extracting(r -> r.get("synthetic")).containsExactly(false, false, false, true);
        });
        CHECKS.put("06-top-images-of-a-neuron.cypher", rows -> {
            assertThat(rows).hasSize(5);
            double best = ((Number) run("MATCH (i:Image) RETURN max(i.act_layer4[412]) AS m")
                            .get(0)
                            .get("m"))
                    .doubleValue();
            assertThat(((Number) rows.get(0).get("activation")).doubleValue())
                    .isCloseTo(best, org.assertj.core.data.Offset.offset(1e-5));
        });
        CHECKS.put("07-most-shared-neurons.cypher", rows -> {
            assertThat(rows).hasSize(10);
            assertThat(rows)
                    .extracting(r -> ((Number) r.get("concepts")).intValue())
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        });
        CHECKS.put("08-compare-two-concepts.cypher", rows -> {
            assertThat(column(rows, "side")).isSubsetOf("a", "b", "both");
            long shared = ((Number) run("MATCH (:Cluster {id: 'L1-0'})-[:USES]->(n:Neuron {layer: 'layer4'})"
                                    + "<-[:USES]-(:Cluster {id: 'L1-1'}) RETURN count(n) AS k")
                            .get(0)
                            .get("k"))
                    .longValue();
            long both = rows.stream()
                    .filter(r -> "both".equals(r.get("side")))
                    .mapToLong(r -> ((Number) r.get("neurons")).longValue())
                    .sum();
            assertThat(both).isEqualTo(shared);
        });
        CHECKS.put("09-caption-provenance.cypher", rows -> {
            assertThat(rows).singleElement().satisfies(r -> {
                assertThat(r.get("kind")).isEqualTo("generalisation");
                assertThat(r.get("source")).isEqualTo("extractive");
                assertThat(r.get("promptVersion")).isEqualTo("none");
                assertThat(r.get("offlineDefault")).isEqualTo(true);
            });
        });
        CHECKS.put("10-concepts-of-a-neuron-on-demand.cypher", rows -> assertThat(column(rows, "cluster"))
                .isEqualTo(column(
                        run("MATCH (c:Cluster)-[:USES]->(:Neuron {id: 'layer4:412'}) RETURN c.id AS cluster"),
                        "cluster")));
        CHECKS.put("11-children-and-their-differences.cypher", rows -> {
            assertThat(column(rows, "child")).containsExactlyInAnyOrder("L1-0", "L1-6", "L1-12", "L1-18");
            assertThat(rows)
                    .allSatisfy(r -> assertThat((String) r.get("difference")).isNotBlank());
        });
        CHECKS.put("12-most-specific-groups.cypher", rows -> {
            assertThat(rows).isNotEmpty().hasSizeLessThanOrEqualTo(10);
            assertThat(rows)
                    .extracting(r -> (Double) r.get("medianLift"))
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
            double best = run("MATCH (c:Cluster {level: 1}) CALL hmn.cluster.validity(c, {layer: 'layer4'}) "
                            + "YIELD medianLift RETURN max(medianLift) AS m")
                    .stream()
                    .mapToDouble(r -> ((Number) r.get("m")).doubleValue())
                    .max()
                    .orElseThrow();
            assertThat((Double) rows.get(0).get("medianLift")).isEqualTo(best);
        });
        CHECKS.put("13-always-strong-groups.cypher", rows -> {
            Set<Object> expected = new HashSet<>();
            for (Map<String, Object> r : run("MATCH (c:Cluster {level: 1}) CALL hmn.cluster.validity(c, "
                    + "{layer: 'layer4'}) YIELD groupSize, medianLift RETURN c.id AS cluster, groupSize, medianLift")) {
                if (((Number) r.get("groupSize")).longValue() > 0 && (Double) r.get("medianLift") < 1.2) {
                    expected.add(r.get("cluster"));
                }
            }
            assertThat(column(rows, "cluster")).isEqualTo(expected);
        });
        CHECKS.put("14-significant-difference-neurons.cypher", rows -> {
            assertThat(rows).isNotEmpty().allSatisfy(r -> {
                assertThat((Double) r.get("q")).isLessThan(0.05);
                Set<Object> difference = column(
                        run("CALL hmn.cluster.differenceNeurons('" + r.get("cluster")
                                + "', {layer: 'layer4'}) YIELD neuron RETURN neuron"),
                        "neuron");
                assertThat(difference).contains(r.get("neuron"));
            });
        });
    }

    @Test
    void should_check_every_example_query() throws Exception {
        assertThat(examples().keySet()).containsExactlyInAnyOrderElementsOf(CHECKS.keySet());
    }

    @Test
    void should_answer_every_example_query_correctly() throws Exception {
        for (Map.Entry<String, Path> e : examples().entrySet()) {
            String query = Files.readString(e.getValue()).strip();
            List<Map<String, Object>> rows = run(query.endsWith(";") ? query.substring(0, query.length() - 1) : query);
            try {
                CHECKS.get(e.getKey()).accept(rows);
            } catch (AssertionError failure) {
                throw new AssertionError(e.getKey() + ": " + failure.getMessage() + "\nrows: " + rows, failure);
            }
        }
    }

    @Test
    void should_print_rows_through_the_cypher_command_in_every_format() {
        String db = tmp.resolve("db").toString();
        store.close();
        store = null;
        try {
            String q = "MATCH (c:Cluster {id: 'L2-0'}) RETURN c.id AS id, c.size AS size, [1, 2] AS xs";
            CliRun table = CliRun.of("cypher", "--db", db, q);
            assertThat(table.out().lines())
                    .containsExactly(
                            "id   | size | xs", "-----+------+-------", "L2-0 | 45   |" + " [1, 2]", "(1 row)");
            CliRun csv = CliRun.of("cypher", "--db", db, "--format", "csv", q);
            assertThat(csv.out().lines()).containsExactly("id,size,xs", "L2-0,45,\"[1, 2]\"");
            CliRun json = CliRun.of(
                    "cypher",
                    "--db",
                    db,
                    "--format",
                    "json",
                    "-p",
                    "id=\"L2-0\"",
                    "MATCH (c:Cluster {id: $id}) RETURN c.id AS id");
            assertThat(json.out().lines()).containsExactly("[", "  {\"id\":\"L2-0\"}", "]");
            CliRun bad = CliRun.of("cypher", "--db", db, "CALL hmn.cluster.sharedNeurons('L1-99999', {})");
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.errLines())
                    .singleElement()
                    .asString()
                    .startsWith("hmn: the query failed: ")
                    .contains("L1-99999");
        } finally {
            store = Store.open(tmp.resolve("db"));
        }
    }
}
