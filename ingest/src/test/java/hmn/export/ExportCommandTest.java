package hmn.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.cli.ExportCommand;
import hmn.cli.Hmn;
import hmn.demo.SampleSet;
import hmn.server.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

/**
 * {@code hmn export}: on a graph ingested from generated scenes (seeded weights, true captions), every exported table
 * read back with parquet-java holds what Cypher reads from the store, value for value; the store's files are left as
 * they were; bad input ends with exit code 2, one line and nothing written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportCommandTest {
    @TempDir
    static Path tmp;

    private Path db;
    private Path out;
    private Run export;
    private Map<String, String> storeBefore;
    private Map<String, String> storeAfter;
    private Store store;

    record Run(int code, String out, String err) {}

    private static Run hmn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hmn.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    void ingest_and_export() throws IOException {
        Path images = tmp.resolve("images");
        SampleSet.write(images, 2, 11); // 24 scenes of 12 kinds, with true-captions.csv
        db = tmp.resolve("db");
        Run ingest = hmn(
                "ingest",
                images.toString(),
                "--db",
                db.toString(),
                "--captions",
                images.resolve(SampleSet.TRUE_CAPTIONS).toString(),
                "--random-weights",
                "3",
                "--layers",
                "layer3,layer4",
                "--no-progress");
        assertThat(ingest.code()).as(ingest.err() + ingest.out()).isZero();
        storeBefore = files(db);
        out = tmp.resolve("export");
        export = hmn("export", "--db", db.toString(), "--format", "parquet", "--out", out.toString());
        storeAfter = files(db);
        store = Store.openReadOnly(db); // for the expected rows; the bad-input cases stop before opening the store
    }

    @AfterAll
    void close() {
        store.close();
    }

    @Test
    void should_write_every_table_and_leave_the_store_as_it_was() throws IOException {
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out()).contains("groups.parquet", "exported to " + out);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "images.parquet",
                            "clusters.parquet",
                            "neurons.parquet",
                            "groups.parquet",
                            "difference_sets.parquet",
                            "activations.parquet",
                            ExportCommand.MANIFEST);
        }
        assertThat(storeBefore).containsKey("data/transactions/neo4j/neostore.transaction.db.0");
        assertThat(storeAfter).as("the store's records and transaction logs").isEqualTo(storeBefore);
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
        JsonNode manifest =
                new ObjectMapper().readTree(out.resolve(ExportCommand.MANIFEST).toFile());
        for (JsonNode table : manifest.get("tables")) {
            ParquetRows rows = ParquetRows.read(out.resolve(table.get("file").asText()));
            assertThat(rows.rows())
                    .as(table.get("name").asText())
                    .hasSize(table.get("rows").asInt());
            List<String> columns = new ArrayList<>();
            table.get("columns").forEach(c -> columns.add(c.get("name").asText()));
            assertThat(rows.columns()).isEqualTo(columns);
        }
    }

    @Test
    void should_export_every_uses_edge_with_its_statistics() throws IOException {
        List<String> expected = cypher("MATCH (c:Cluster)-[u:USES]->(n:Neuron) RETURN c.id, n.layer, n.index,"
                + " u.support, u.baseRate, u.lift, u.p, u.q");
        List<String> exported = lines(ParquetRows.read(out.resolve("groups.parquet")));
        assertThat(exported).hasSizeGreaterThan(50).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void should_export_images_with_their_cluster_at_every_level() throws IOException {
        Map<String, Map<String, Object>> byId = byKey(ParquetRows.read(out.resolve("images.parquet")), "id");
        List<String> expected = cypher("MATCH (i:Image) RETURN i.id, i.row, i.caption");
        assertThat(byId.values().stream()
                        .map(r -> r.get("id") + "|" + r.get("row") + "|" + r.get("caption"))
                        .toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        List<String> memberships = cypher("MATCH (c:Cluster)-[:CONTAINS*]->(i:Image) RETURN i.id, c.level, c.id");
        assertThat(memberships).hasSizeGreaterThanOrEqualTo(2 * 24);
        for (String m : memberships) {
            String[] f = m.split("\\|");
            assertThat(byId.get(f[0]).get("level_" + f[1])).as(m).isEqualTo(f[2]);
        }
        int levels =
                Integer.parseInt(cypher("MATCH (c:Cluster) RETURN max(c.level)").get(0));
        assertThat(ParquetRows.read(out.resolve("images.parquet")).columns())
                .endsWith("level_" + levels)
                .doesNotContain("level_" + (levels + 1));
    }

    @Test
    void should_export_clusters_neurons_and_activations_as_stored() throws IOException {
        List<String> clusters = cypher("MATCH (c:Cluster) OPTIONAL MATCH (p:Cluster)-[:CONTAINS]->(c)"
                + " OPTIONAL MATCH (c)-[:DIFFERS_BY]->(d) RETURN c.id, c.level, c.size, c.caption, c.synthetic,"
                + " p.id, d.description");
        assertThat(project(
                        ParquetRows.read(out.resolve("clusters.parquet")),
                        "id",
                        "level",
                        "size",
                        "caption",
                        "synthetic",
                        "parent",
                        "difference"))
                .containsExactlyInAnyOrderElementsOf(clusters);
        assertThat(lines(ParquetRows.read(out.resolve("neurons.parquet"))))
                .hasSize(256 + 512)
                .containsExactlyInAnyOrderElementsOf(cypher("MATCH (n:Neuron) RETURN n.id, n.layer, n.index"));
        List<String> vectors = cypher(
                "MATCH (i:Image) UNWIND ['layer3', 'layer4'] AS layer" + " RETURN i.id, layer, i['act_' + layer]");
        assertThat(lines(ParquetRows.read(out.resolve("activations.parquet"))))
                .hasSize(2 * 24)
                .containsExactlyInAnyOrderElementsOf(vectors);
    }

    @Test
    void should_export_every_difference_neuron_with_a_contrast_that_agrees_with_the_differs_by_summary()
            throws IOException {
        ParquetRows table = ParquetRows.read(out.resolve("difference_sets.parquet"));
        assertThat(project(table, "child", "parent", "layer", "neuron", "description"))
                .hasSizeGreaterThan(20)
                .containsExactlyInAnyOrderElementsOf(cypher("MATCH (c:Cluster)-[:DIFFERS_BY]->(d:DifferenceSet)"
                        + "-[:INCLUDES]->(n:Neuron) RETURN c.id, d.parent, n.layer, n.index, d.description"));
        assertThat(table.rows()).allSatisfy(r -> assertThat(r.get("p")).isNotNull());
        // the importer's per-layer summary on DIFFERS_BY (mean contrast, smallest p) from the exported rows
        Map<String, List<Map<String, Object>>> bySetAndLayer = new TreeMap<>();
        table.rows().forEach(r -> bySetAndLayer
                .computeIfAbsent(r.get("child") + "|" + r.get("layer"), k -> new ArrayList<>())
                .add(r));
        Map<String, String> summaries = new HashMap<>();
        for (String layer : List.of("layer3", "layer4")) {
            for (String row : cypher("MATCH (c:Cluster)-[d:DIFFERS_BY]->() WHERE d['minP_" + layer + "'] IS NOT NULL"
                    + " RETURN c.id, d['meanContrast_" + layer + "'], d['minP_" + layer + "']")) {
                String[] f = row.split("\\|", 2);
                summaries.put(f[0] + "|" + layer, f[1]);
            }
        }
        assertThat(summaries.keySet())
                .as("sets and layers with difference neurons")
                .isEqualTo(bySetAndLayer.keySet());
        for (Map.Entry<String, List<Map<String, Object>>> e : bySetAndLayer.entrySet()) {
            double mean = e.getValue().stream()
                    .mapToDouble(r -> (Double) r.get("contrast"))
                    .average()
                    .orElseThrow();
            double minP = e.getValue().stream()
                    .mapToDouble(r -> (Double) r.get("p"))
                    .min()
                    .orElseThrow();
            String[] stored = summaries.get(e.getKey()).split("\\|");
            assertThat(mean).as(e.getKey()).isCloseTo(Double.parseDouble(stored[0]), within());
            assertThat(minP).as(e.getKey()).isEqualTo(Double.parseDouble(stored[1]));
        }
    }

    @Test
    void should_add_the_validity_figures_stored_on_clusters_and_replace_an_earlier_export_with_force()
            throws IOException {
        Path copy = tmp.resolve("db-validated");
        copyTree(db, copy);
        try (Store store = Store.open(copy);
                Transaction tx = store.db().beginTx()) {
            tx.execute("MATCH (c:Cluster {id: 'L1-0'}) SET c.ablationEffect_layer4 = 0.25, c.ablationZ_layer4 = 3.5,"
                    + " c.ablationRun_layer4 = 'mean;R=20'");
            tx.commit();
        }
        Path validated = tmp.resolve("export-validated");
        assertThat(hmn("export", "--db", copy.toString(), "--out", validated.toString())
                        .code())
                .isZero();
        Run again = hmn("export", "--db", copy.toString(), "--out", validated.toString(), "--force");
        assertThat(again.code()).as(again.err()).isZero();
        ParquetRows clusters = ParquetRows.read(validated.resolve("clusters.parquet"));
        assertThat(clusters.columns()).endsWith("ablationEffect_layer4", "ablationZ_layer4", "ablationRun_layer4");
        Map<String, Map<String, Object>> byId = byKey(clusters, "id");
        assertThat(byId.get("L1-0"))
                .containsEntry("ablationEffect_layer4", 0.25)
                .containsEntry("ablationZ_layer4", 3.5);
        assertThat(byId.get("L1-0")).containsEntry("ablationRun_layer4", "mean;R=20");
        assertThat(byId.get("L1-1")).containsEntry("ablationEffect_layer4", null);
        assertThat(ParquetRows.read(out.resolve("clusters.parquet")).columns())
                .as("no validity columns where hmn validate never ran")
                .noneMatch(c -> c.startsWith("ablation"));
    }

    @Test
    void should_refuse_bad_input_with_exit_code_2_and_one_line() throws IOException {
        Path notStore = Files.createDirectories(tmp.resolve("not-a-store"));
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "mine");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path fresh = tmp.resolve("never-written");
        assertBadInput(
                hmn("export", "--db", notStore.toString(), "--out", fresh.toString()),
                "--db " + notStore + ": is not an hmn store (no hmn-store.properties); build one with 'hmn ingest'"
                        + " or 'hmn demo'");
        assertBadInput(
                hmn("export", "--db", db.toString(), "--format", "csv", "--out", fresh.toString()),
                "--format csv: unknown format; use --format parquet");
        assertBadInput(
                hmn("export", "--db", db.toString(), "--out", busy.toString()),
                "--out " + busy + ": is not empty; choose a new or empty directory");
        assertBadInput(
                hmn("export", "--db", db.toString(), "--out", busy.toString(), "--force"),
                "--out " + busy + ": is not empty and holds no earlier export (no hmn-export.json); --force"
                        + " replaces only an export, so choose a new or empty directory");
        assertBadInput(
                hmn("export", "--db", db.toString(), "--out", out.toString()),
                "--out " + out + ": is not empty; choose a new or empty directory, or add --force to replace the"
                        + " earlier export there");
        assertBadInput(
                hmn("export", "--db", db.toString(), "--out", file.toString()),
                "--out " + file + ": is a file, not a directory; choose a new directory");
        assertBadInput(
                hmn("export", "--db", db.toString(), "--out", fresh.toString()),
                "--db " + db + ": is in use by another process (e.g. 'hmn serve'); stop it first, or export a copy of"
                        + " the store"); // this test holds it open
        assertThat(fresh).doesNotExist();
        assertThat(busy.resolve("notes.txt")).hasContent("mine");
        assertThat(busy).isDirectoryContaining(p -> true);
        try (Stream<Path> entries = Files.list(busy)) {
            assertThat(entries).hasSize(1);
        }
    }

    private static void assertBadInput(Run run, String message) {
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("hmn: " + message);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-12);
    }

    /** Each row as {@code a|b|c}, arrays written element by element. */
    private List<String> cypher(String query) {
        List<String> rows = new ArrayList<>();
        try (Transaction tx = store.db().beginTx();
                Result r = tx.execute(query)) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                List<String> cells = new ArrayList<>();
                r.columns().forEach(c -> cells.add(text(row.get(c))));
                rows.add(String.join("|", cells));
            }
        }
        return rows;
    }

    private static List<String> lines(ParquetRows table) {
        return project(table, table.columns().toArray(new String[0]));
    }

    private static List<String> project(ParquetRows table, String... columns) {
        return table.rows().stream()
                .map(r -> {
                    List<String> cells = new ArrayList<>();
                    for (String c : columns) {
                        cells.add(text(r.get(c)));
                    }
                    return String.join("|", cells);
                })
                .toList();
    }

    /** Numbers by value (an int property and a long column print alike); arrays element by element. */
    private static String text(Object value) {
        if (value != null && value.getClass().isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(String.valueOf(((Number) Array.get(value, i)).floatValue()));
            }
            return items.toString();
        }
        return String.valueOf(value);
    }

    private static Map<String, Map<String, Object>> byKey(ParquetRows table, String column) {
        Map<String, Map<String, Object>> map = new HashMap<>();
        table.rows().forEach(r -> map.put((String) r.get(column), r));
        return map;
    }

    /**
     * The files of a store that hold its graph (record stores, transaction logs, hmn's marker) with their size and
     * modification time. Left out: what Neo4j rewrites whenever it shuts down a database, read-only or not (the
     * checkpoint, id files, the counts, degrees and index statistics trees, index files, logs, locks).
     */
    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith("neostore")
                            || p.getFileName().toString().equals("hmn-store.properties"))
                    .filter(p -> !p.toString().endsWith(".id")
                            && !p.toString().endsWith("counts.db")
                            && !p.toString().endsWith("degrees.db")
                            && !p.toString().endsWith("indexstats.db"))
                    .toList()) {
                files.put(dir.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
