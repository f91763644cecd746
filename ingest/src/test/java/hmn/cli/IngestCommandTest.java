package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.artifacts.SyntheticCollection;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.server.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

/**
 * {@code hmn ingest} end to end on a generated set: the graph it builds, re-ingest idempotence, and every kind of bad
 * input ending with exit code 2, one line naming file, row and fix, and the existing store untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestCommandTest {
    @TempDir
    static Path tmp;

    private SyntheticCollection.Files data;
    private Path db;
    private CliRun first;

    @BeforeAll
    void ingest_a_sample_set() throws IOException {
        data = SyntheticCollection.builder()
                .images(60)
                .clustersPerLevel(8, 3)
                .layers(Map.of("layer1", 16, "layer4", 64))
                .writeImages(false)
                .build()
                .writeTo(tmp.resolve("data"));
        db = tmp.resolve("db");
        first = ingest(data.captions(), data.partitions(), data.activations());
    }

    private CliRun ingest(Path captions, Path partitions, Path activations, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "ingest",
                data.images().toString(),
                "--db",
                db.toString(),
                "--captions",
                captions.toString(),
                "--partitions",
                partitions.toString(),
                "--activations",
                activations.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(new String[0]));
    }

    /** Runs queries on the store, opened once; each answer as CSV-like lines (header, then rows). */
    private static List<String> query(Path db, String... cyphers) {
        List<String> answers = new ArrayList<>();
        try (Store store = Store.open(db)) {
            for (String cypher : cyphers) {
                StringBuilder sb = new StringBuilder();
                try (Transaction tx = store.db().beginTx();
                        Result r = tx.execute(cypher)) {
                    sb.append(String.join(",", r.columns())).append('\n');
                    while (r.hasNext()) {
                        Map<String, Object> row = r.next();
                        List<String> cells = new ArrayList<>();
                        r.columns().forEach(c -> cells.add(String.valueOf(row.get(c))));
                        sb.append(String.join(",", cells)).append('\n');
                    }
                }
                answers.add(sb.toString());
            }
        }
        return answers;
    }

    /** Every file of the store with its size and modification time. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(db)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(db.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }

    private void assertBadInput(CliRun run, String message) throws IOException {
        Map<String, String> before = snapshot();
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("hmn: " + message);
        assertThat(snapshot()).isEqualTo(before);
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".db."));
        }
    }

    private Path copyActivations(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(data.activations())) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void should_build_the_graph_with_labels_groups_and_difference_sets() {
        // then (the ingest ran in @BeforeAll)
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("ingested 60 images into " + db);
        List<String> answers = query(
                db,
                """
                MATCH (i:Image) WITH count(i) AS images
                MATCH (c:Cluster) WITH images, count(c) AS clusters
                MATCH (l:Level) WITH images, clusters, count(l) AS levels
                MATCH (n:Neuron) WITH images, clusters, levels, count(n) AS neurons
                MATCH ()-[a:ACTIVATES]->() WITH images, clusters, levels, neurons, count(a) AS activates
                MATCH (r:Cluster {synthetic: true}) RETURN images, clusters, levels, neurons, activates, r.id AS root
                """,
                """
                MATCH (c:Cluster) WHERE c.caption IS NULL OR NOT (c)-[:HAS_CAPTION]->(:Caption {source: 'extractive'})
                RETURN count(c) AS unlabeled
                """,
                """
                MATCH (c:Cluster)-[d:DIFFERS_BY]->(s:DifferenceSet)-[:HAS_CAPTION]->(k:Caption)
                WHERE d.description = s.description AND k.text = s.description AND k.offlineDefault
                  AND k.promptVersion = 'none'
                RETURN count(s) AS labelled
                """,
                "MATCH (:Cluster)-[u:USES]->(:Neuron) RETURN count(u) > 0 AS used");
        // 8 + 3 clusters and a synthetic root; k = 1 of 16 and 6 of 64 channels per image
        assertThat(answers.get(0).lines())
                .containsExactly("images,clusters,levels,neurons,activates,root", "60,12,3,80,420,L3-0");
        assertThat(answers.get(1).lines()).containsExactly("unlabeled", "0");
        assertThat(answers.get(2).lines()).containsExactly("labelled", "11");
        assertThat(answers.get(3).lines()).containsExactly("used", "true");
    }

    @Test
    void should_import_exactly_the_groups_and_difference_sets_that_hmn_materialize_writes() {
        for (String[] options : List.of(
                new String[0],
                new String[] {"--top", "0.25", "--support", "0.4", "--mode", "support"},
                new String[] {"--rank", "zscore"})) {
            // given: groups computed before the import and written by the offline importer
            Path store = tmp.resolve("materialized-" + String.join("", options));
            List<String> args = new ArrayList<>(List.of(
                    "ingest",
                    data.images().toString(),
                    "--db",
                    store.toString(),
                    "--captions",
                    data.captions().toString(),
                    "--partitions",
                    data.partitions().toString(),
                    "--activations",
                    data.activations().toString()));
            args.addAll(List.of(options));
            CliRun run = CliRun.of(args.toArray(new String[0]));
            assertThat(run.code()).as(run.err()).isZero();
            String edges =
                    """
                    MATCH (c:Cluster)-[u:USES]->(n:Neuron)
                    WITH c.id + '>' + n.id + ' ' + u.layer + ' ' + u.support + ' ' + u.baseRate + ' '
                      + coalesce(toString(u.lift), 'null') + ' ' + u.p + ' ' + u.q AS edge ORDER BY edge
                    RETURN count(edge) AS uses, collect(edge) AS edges""";
            String sets =
                    """
                    MATCH (c:Cluster)-[:DIFFERS_BY]->(s:DifferenceSet)-[:AGAINST]->(p:Cluster)
                    OPTIONAL MATCH (s)-[:INCLUDES]->(n:Neuron)
                    WITH c, s, p, n ORDER BY n.id
                    WITH c.id + '/' + p.id + ' ' + s.size + ' ' + s.parent AS set, collect(n.id) AS neurons
                    WITH set + ' ' + reduce(t = '', id IN neurons | t + id + ';') AS line ORDER BY line
                    RETURN count(line) AS sets, collect(line) AS lines""";
            String summaries =
                    """
                    MATCH (c:Cluster)-[d:DIFFERS_BY]->(:DifferenceSet)
                    UNWIND [k IN keys(d) WHERE k STARTS WITH 'meanContrast_' OR k STARTS WITH 'minP_'] AS k
                    WITH c.id + ' ' + k + '=' + toString(d[k]) AS line ORDER BY line
                    RETURN count(line) AS summaries, collect(line) AS lines""";
            String imported = query(store, summaries).get(0);
            String materialize =
                    """
                    MATCH (m:HmnMeta)
                    CALL hmn.materialize({top: m.top, support: m.support, mode: m.mode, rank: m.rank})
                      YIELD relationshipsCreated,
                      relationshipsDeleted, neuronsCreated
                    RETURN relationshipsCreated, relationshipsDeleted, neuronsCreated""";
            // when: the procedure materialises the same config again
            List<String> answers = query(store, edges, sets, materialize, edges, sets);
            // then: it finds nothing to change, and every edge, support and set is as imported
            assertThat(answers.get(0)).doesNotStartWith("uses\n0,");
            assertThat(answers.get(1)).doesNotStartWith("sets\n0,");
            assertThat(answers.get(2).lines())
                    .containsExactly("relationshipsCreated,relationshipsDeleted,neuronsCreated", "0,0,0");
            assertThat(answers.get(3)).isEqualTo(answers.get(0));
            assertThat(answers.get(4)).isEqualTo(answers.get(1));
            // the difference sets' contrast summaries were imported, and hmn.materialize computes the same ones
            assertThat(imported).doesNotStartWith("summaries\n0,");
            assertThat(query(store, summaries).get(0)).isEqualTo(imported);
        }
    }

    @Test
    void should_not_duplicate_anything_when_the_same_ingest_runs_again() {
        String count = "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships";
        String generation = "MATCH (m:HmnMeta) RETURN m.generation AS generation";
        List<String> before = query(db, count, generation);
        // when
        CliRun again = ingest(data.captions(), data.partitions(), data.activations());
        // then
        assertThat(again.code()).as(again.err()).isZero();
        List<String> after = query(db, count, generation);
        assertThat(after.get(0)).isEqualTo(before.get(0));
        assertThat(after.get(1)).isNotEqualTo(before.get(1));
    }

    @Test
    void should_reject_partitions_that_are_not_nested() throws IOException {
        Path p = tmp.resolve("not-nested.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(data.partitions()));
        String[] row = lines.get(1).split(",");
        String[] other = lines.get(2).split(",");
        // give image 2 the level-1 label of image 1 but another level-2 label
        lines.set(2, other[0] + "," + row[1] + "," + (Integer.parseInt(row[2]) + 1) % 3);
        Files.write(p, lines);
        assertBadInput(
                ingest(data.captions(), p, data.activations()),
                p + ": line 3: partitions are not nested:"
                        + " level_1 cluster " + row[1] + " is in level_2 cluster " + (Integer.parseInt(row[2]) + 1) % 3
                        + " here but in cluster " + row[2]
                        + " on line 2; every level_1 cluster must lie inside one level_2"
                        + " cluster");
    }

    @Test
    void should_reject_an_image_that_is_in_one_artifact_but_not_another() throws IOException {
        Path c = tmp.resolve("extra.csv");
        Files.writeString(c, Files.readString(data.captions()) + "stray/x.png,a stray photo\n");
        assertBadInput(
                ingest(c, data.partitions(), data.activations()),
                c + ": line 62: image 'stray/x.png' is not"
                        + " in " + data.activations().resolve("images.txt")
                        + "; every image needs a caption, a partition row"
                        + " and an activation row: add it there or remove it here");
        Path missing = tmp.resolve("missing.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(data.captions()));
        String image = lines.remove(5).split(",")[0];
        Files.write(missing, lines);
        assertBadInput(
                ingest(missing, data.partitions(), data.activations()),
                data.activations().resolve("images.txt") + ": line 5: image '" + image + "' has no caption in "
                        + missing + "; add its caption or remove it from every artifact");
    }

    @Test
    void should_reject_activation_rows_that_do_not_match_images_txt() throws IOException {
        Path acts = copyActivations("short-acts");
        FloatMatrix m = Npy.read(acts.resolve("layer4.npy"));
        Npy.write(acts.resolve("layer4.npy"), new FloatMatrix(59, 64, java.util.Arrays.copyOf(m.data(), 59 * 64)));
        assertBadInput(
                ingest(data.captions(), data.partitions(), acts),
                acts.resolve("layer4.npy")
                        + ": has 59 rows but " + acts.resolve("images.txt") + " lists 60 images; row i must hold the"
                        + " activations of line i of images.txt");
    }

    @Test
    void should_reject_nan_activations() throws IOException {
        Path acts = copyActivations("nan-acts");
        FloatMatrix m = Npy.read(acts.resolve("layer1.npy"));
        m.data()[3 * 16 + 5] = Float.NaN;
        Npy.write(acts.resolve("layer1.npy"), m);
        String image = Files.readAllLines(acts.resolve("images.txt")).get(3);
        assertBadInput(
                ingest(data.captions(), data.partitions(), acts),
                acts.resolve("layer1.npy")
                        + ": row 4 (image '" + image
                        + "'), channel 5 is NaN; activations must be finite: re-extract that"
                        + " image's activations");
    }

    @Test
    void should_reject_an_unknown_layer() throws IOException {
        assertBadInput(
                ingest(data.captions(), data.partitions(), data.activations(), "--layers", "layer4,layer9"),
                "--layers: unknown layer 'layer9': " + data.activations() + " has no layer9.npy; available layers:"
                        + " [layer1, layer4]");
    }

    @Test
    void should_reject_duplicate_image_paths() throws IOException {
        Path acts = copyActivations("dup-acts");
        List<String> images = new ArrayList<>(Files.readAllLines(acts.resolve("images.txt")));
        images.set(7, images.get(2));
        Files.write(acts.resolve("images.txt"), images);
        assertBadInput(
                ingest(data.captions(), data.partitions(), acts),
                acts.resolve("images.txt") + ": line 8:" + " image '" + images.get(2)
                        + "' is listed again (first on line 3); list each image once");
        Path c = tmp.resolve("dup.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(data.captions()));
        lines.add(lines.get(1));
        Files.write(c, lines);
        assertBadInput(
                ingest(c, data.partitions(), data.activations()),
                c + ": line 62: image '" + lines.get(1).split(",")[0]
                        + "' already has a caption on line 2; keep one caption per image");
    }

    @Test
    void should_reject_malformed_csv_and_jsonl() throws IOException {
        Path csv = tmp.resolve("broken.csv");
        Files.writeString(
                csv,
                "image,caption\n" + Files.readAllLines(data.captions()).get(1).split(",")[0] + ",\"never closed\n");
        assertBadInput(
                ingest(csv, data.partitions(), data.activations()),
                csv + ": line 2: a quoted field is never" + " closed; add the closing double quote");
        Path jsonl = tmp.resolve("broken.jsonl");
        Files.writeString(
                jsonl, "{\"image\": \"a.png\", \"caption\": \"x\"}\n{\"image\": \"b.png\", \"caption\": 3}\n");
        assertBadInput(
                ingest(jsonl, data.partitions(), data.activations()),
                jsonl + ": line 2: expected an object"
                        + " with string fields \"image\" and \"caption\"; write {\"image\": ..., \"caption\": ...}");
        Path partitions = tmp.resolve("short-row.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(data.partitions()));
        lines.set(4, lines.get(4).substring(0, lines.get(4).lastIndexOf(',')));
        Files.write(partitions, lines);
        assertBadInput(
                ingest(data.captions(), partitions, data.activations()),
                partitions + ": line 5: has 2"
                        + " fields, expected 3 (image and 2 levels); give every image a label on every level");
    }

    @Test
    void should_reject_an_unreadable_directory() throws IOException {
        Path nowhere = tmp.resolve("nowhere");
        assertBadInput(
                ingest(data.captions(), data.partitions(), nowhere),
                nowhere + ": no such directory (--activations); check the path");
        assertBadInput(
                ingest(data.captions(), data.partitions(), data.captions()),
                data.captions() + ": is not a directory (--activations); pass a directory");
    }

    @Test
    void should_reject_bad_options() throws IOException {
        assertBadInput(
                ingest(data.captions(), data.partitions(), data.activations(), "--top", "1.5"),
                "--top must be in (0, 1], got 1.5");
        assertBadInput(
                ingest(data.captions(), data.partitions(), data.activations(), "--support", "0"),
                "--support must be in (0, 1], got 0.0");
        assertBadInput(
                ingest(data.captions(), data.partitions(), data.activations(), "--mode", "Union"),
                "--mode must be one of [intersection, support], got 'Union'");
        assertBadInput(
                ingest(data.captions(), data.partitions(), data.activations(), "--rank", "z"),
                "--rank must be one of [raw, zscore], got 'z'");
        assertBadInput(
                ingest(data.captions(), data.partitions(), data.activations(), "--top", "0", "--mode", "x"),
                "--top must be in (0, 1], got 0.0");
        assertBadInput(
                ingest(data.captions(), data.partitions(), data.activations(), "--levels", "5"),
                "--levels 5: " + data.partitions() + " has 2 levels; pass a number from 1 to 2");
    }

    @Test
    void should_refuse_to_replace_a_directory_that_is_not_an_hmn_store() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(other.resolve("keep.txt"), "mine");
        CliRun run = CliRun.of(
                "ingest",
                data.images().toString(),
                "--db",
                other.toString(),
                "--captions",
                data.captions().toString(),
                "--partitions",
                data.partitions().toString(),
                "--activations",
                data.activations().toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("hmn: --db " + other + ": exists and is not an hmn store (no"
                        + " hmn-store.properties); choose a new directory or remove it");
        assertThat(other.resolve("keep.txt")).hasContent("mine");
    }
}
