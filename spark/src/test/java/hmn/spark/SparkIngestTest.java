package hmn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.activations.ActivationStage;
import hmn.bench.LocalLlmServer;
import hmn.cli.Hmn;
import hmn.demo.SampleSet;
import hmn.format.Partitions;
import hmn.format.PartitionsFile;
import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.HierarchyGroups;
import hmn.group.LayerActivations;
import hmn.group.Mode;
import hmn.group.SupportCounts;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.server.Store;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest --spark MASTER}: the activation stage as Spark jobs in local mode gives the graph a single JVM
 * builds, node for node and edge for edge (activation vectors included), also when a task fails on its first
 * attempt; a rerun reuses what finished; bad masters, empty collections and changed options are refused with exit
 * code 2 and one line, before anything is written to the graph.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkIngestTest {
    @TempDir
    static Path tmp;

    private Path images;
    private List<String> expected;

    record CliRun(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @BeforeAll
    void setUp() throws Exception {
        images = tmp.resolve("images");
        SampleSet.write(images, 2, 11); // 24 scenes of 12 kinds, with true-captions.csv
        CliRun whole = ingest(tmp.resolve("whole"));
        assertThat(whole.code()).as(whole.err() + whole.out()).isZero();
        expected = dump(tmp.resolve("whole"));
        assertThat(expected).as("nodes and relationships").hasSizeGreaterThan(300);
    }

    private CliRun ingest(Path db, String... extra) {
        return ingestAt(images.toString(), db, extra);
    }

    private CliRun ingestAt(String imagesLocation, Path db, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "ingest",
                imagesLocation,
                "--db",
                db.toString(),
                "--captions",
                images.resolve(SampleSet.TRUE_CAPTIONS).toString(),
                "--random-weights",
                "3",
                "--no-progress"));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hmn.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(new String[0]));
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void should_build_the_same_graph_on_spark_as_in_one_jvm_and_reuse_it_on_a_rerun() throws Exception {
        // when
        Path db = tmp.resolve("spark");
        int loadsBefore = ActivationStage.loads();
        int executorLoadsBefore = ExecutorModels.loads();
        CliRun run = ingest(db, "--spark", "local[2]");
        // then
        assertThat(run.code()).as(run.err() + run.out()).isZero();
        assertThat(run.out())
                .contains(
                        "spark: activations of 24 images (24 new, ", "0 new, 24 from an earlier run or the Spark job");
        assertThat(run.out()).contains("spark: embeddings of ", "embeddings   computed", " on Spark");
        // the groups' support counts are a Spark aggregation here, and the graph is still the single JVM's
        assertThat(run.out())
                .containsPattern("spark: support counts of layer\\d \\([\\d,]+ clusters x \\d+ neurons\\)");
        assertSameGraph(db);
        assertThat(Files.readAllBytes(tmp.resolve("spark.work/embeddings.npy")))
                .as("caption embeddings computed on Spark")
                .isEqualTo(Files.readAllBytes(tmp.resolve("whole.work/embeddings.npy")));
        assertThat(ExecutorModels.loads())
                .as("models loaded in this JVM (one executor)")
                .isEqualTo(1);
        assertThat(ActivationStage.loads() - loadsBefore)
                .as("every model load of the run was the executor's: the driver's stage reused it")
                .isEqualTo(ExecutorModels.loads() - executorLoadsBefore);
        Path parquet = tmp.resolve("spark.work/spark/activations.parquet");
        assertThat(Files.list(parquet).filter(p -> p.toString().endsWith(".parquet")))
                .isNotEmpty();

        // and when run again, nothing is computed again
        CliRun again = ingest(db, "--spark", "local[2]");
        assertThat(again.code()).as(again.err() + again.out()).isZero();
        assertThat(again.out()).contains("spark: all 24 images finished in an earlier run; nothing to compute");
        assertSameGraph(db);

        // and the support counts aggregated on Spark from the Parquet table are core's, at every level
        assertSupportCountsAsInMemory(tmp.resolve("spark.work"), 0.10);
        assertSupportCountsAsInMemory(tmp.resolve("spark.work"), 0.25);
    }

    private static void assertSupportCountsAsInMemory(Path work, double top) throws Exception {
        Partitions partition = PartitionsFile.read(work.resolve("partitions.csv"));
        Hierarchy h = Hierarchy.ofPartition(partition.labels(), true);
        List<String> stored = Files.readAllLines(work.resolve("activations/images.txt"));
        FloatMatrix m = Npy.read(work.resolve("activations/layer4.npy"));
        float[] values = new float[partition.images().size() * m.cols()];
        for (int i = 0; i < partition.images().size(); i++) {
            float[] row = m.row(stored.indexOf(partition.images().get(i)));
            System.arraycopy(row, 0, values, i * m.cols(), m.cols());
        }
        LayerActivations layer =
                new LayerActivations("layer4", m.cols(), partition.images().size(), values);
        SupportCounts counts = HierarchyGroups.compute(
                        h, List.of(layer), new GroupConfig(null, top, 0.5, Mode.INTERSECTION))
                .counts(0);
        List<String> expected = new ArrayList<>();
        for (int c = 0; c < h.size(); c++) {
            for (int n = 0; n < m.cols(); n++) {
                if (counts.count(c, n) > 0) {
                    expected.add(h.id(c) + " layer4 " + n + " " + counts.count(c, n));
                }
            }
        }
        SparkSession spark = SparkStages.session("local[2]");
        List<SupportCountsJob.Count> job;
        try {
            job = SupportCountsJob.collect(
                    spark, work.resolve("spark/" + SparkStages.ACTIVATIONS).toString(), partition, true, top);
        } finally {
            spark.stop();
        }
        List<String> actual = job.stream()
                .map(k -> k.cluster() + " " + k.layer() + " " + k.neuron() + " " + k.images())
                .sorted()
                .toList();
        expected.sort(null);
        assertThat(actual).as("support counts at top " + top).containsExactlyElementsOf(expected);
        assertThat(job.stream()
                        .map(k -> k.cluster().substring(0, k.cluster().indexOf('-')))
                        .distinct())
                .as("levels counted")
                .hasSize(h.levelCount());
    }

    @Test
    void should_caption_on_spark_as_in_one_jvm() throws Exception {
        // given a chat captioner served here, whose caption follows the image's pixels
        try (LocalLlmServer server = LocalLlmServer.start(SparkIngestTest::describe)) {
            String[] captioner = {
                "--captioner", "openai:vision", "--llm-base-url", server.openAiBaseUrl(), "--llm-key", "k"
            };
            CliRun here = ingestCaptioned(tmp.resolve("captioned-here"), captioner);
            assertThat(here.code()).as(here.err() + here.out()).isZero();
            int callsHere = server.calls().size();

            // when the captions are computed on Spark
            Path db = tmp.resolve("captioned-spark");
            CliRun spark = ingestCaptioned(db, concat(captioner, "--spark", "local[2]"));

            // then the same captions, with their provenance, and the same graph
            assertThat(spark.code()).as(spark.err() + spark.out()).isZero();
            assertThat(spark.out()).contains("spark: captions of 24 images by openai:vision");
            assertThat(server.calls().size() - callsHere)
                    .as("caption requests of the Spark run")
                    .isEqualTo(callsHere);
            assertThat(Files.readString(tmp.resolve("captioned-spark.work/captions.csv")))
                    .isEqualTo(Files.readString(tmp.resolve("captioned-here.work/captions.csv")));
            assertThat(dump(db)).containsExactlyElementsOf(dump(tmp.resolve("captioned-here")));
            try (var parquet = Files.list(tmp.resolve("captioned-spark.work/spark/captions.parquet"))) {
                assertThat(parquet.filter(p -> p.toString().endsWith(".parquet")))
                        .isNotEmpty();
            }

            // and a rerun finds every caption cached
            CliRun again = ingestCaptioned(db, concat(captioner, "--spark", "local[2]"));
            assertThat(again.code()).as(again.err() + again.out()).isZero();
            assertThat(again.out()).doesNotContain("spark: captions of").contains("0 captioned by openai:vision");
        }
    }

    private CliRun ingestCaptioned(Path db, String... extra) {
        List<String> args = new ArrayList<>(
                List.of("ingest", images.toString(), "--db", db.toString(), "--random-weights", "3", "--no-progress"));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hmn.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(new String[0]));
        return new CliRun(code, out.toString(), err.toString());
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }

    /** A caption from the image's dominant colour and brightness: the same for the same pixels. */
    private static LocalLlmServer.Reply describe(LocalLlmServer.Call call) throws Exception {
        BufferedImage img = call.image();
        long[] sum = new long[3];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xff;
                sum[1] += (rgb >> 8) & 0xff;
                sum[2] += rgb & 0xff;
            }
        }
        long n = (long) img.getWidth() * img.getHeight();
        String[] names = {"red", "green", "blue"};
        int top = sum[0] >= sum[1] && sum[0] >= sum[2] ? 0 : sum[1] >= sum[2] ? 1 : 2;
        String light = (sum[0] + sum[1] + sum[2]) / (3 * n) > 110 ? "bright" : "dark";
        return LocalLlmServer.chat(call, "A " + light + " " + names[top] + " scene.");
    }

    @Test
    void should_read_hadoop_images_and_keep_the_spark_tables_under_a_hadoop_work_uri_when_a_task_fails_once()
            throws Exception {
        // given the images and the work directory on a Hadoop file system other than file:// (Hadoop's local one
        // under the scheme otherfs); local mode retries a failed task only with maxFailures given: [cores,tries]
        Path db = tmp.resolve("retried");
        String imagesUri = OtherSchemeFileSystem.SCHEME + "://" + images.toAbsolutePath();
        Path hadoopWork = tmp.resolve("hadoop-work");
        String[] spark = {
            "--work", OtherSchemeFileSystem.SCHEME + "://" + hadoopWork.toAbsolutePath(), "--spark", "local[2,4]"
        };
        OtherSchemeFileSystem.OPENED.clear();

        // when
        System.setProperty(ActivationTask.FAIL_FIRST_ATTEMPT, "true");
        CliRun run;
        try {
            run = ingestAt(imagesUri, db, spark);
        } finally {
            System.clearProperty(ActivationTask.FAIL_FIRST_ATTEMPT);
        }

        // then the graph of one JVM, every image read through the file system twice (hashed by the driver's
        // inventory, decoded by a task) and no copy of the collection anywhere
        assertThat(run.code()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("spark: activations of 24 images (24 new, 0 from the Parquet table");
        assertSameGraph(db);
        assertThat(imageReads())
                .as("reads of each image through otherfs")
                .hasSize(24)
                .allSatisfy((image, reads) -> assertThat(reads).as(image).isEqualTo(2));
        assertThat(tmp.resolve("retried.work/spark"))
                .as("no local Spark folder")
                .doesNotExist();
        assertThat(tmp.resolve("retried.work/activations/images.txt"))
                .as("the driver's own files")
                .exists();
        try (var parquet = Files.list(hadoopWork.resolve("spark/" + SparkStages.ACTIVATIONS))) {
            assertThat(parquet.filter(p -> p.toString().endsWith(".parquet"))).isNotEmpty();
        }
        assertThat(hadoopWork.resolve("spark/options.json")).exists();

        // and a rerun computes nothing and reads no image
        OtherSchemeFileSystem.OPENED.clear();
        CliRun again = ingestAt(imagesUri, db, spark);
        assertThat(again.code()).as(again.err() + again.out()).isZero();
        assertThat(again.out()).contains("spark: all 24 images finished in an earlier run; nothing to compute");
        assertThat(imageReads()).as("image reads of the rerun").isEmpty();
        assertSameGraph(db);

        // and when the driver's activations are lost, the rows under the Hadoop work URI are reused, not recomputed
        ActivationTask.deleteTree(tmp.resolve("retried.work/activations"));
        CliRun lost = ingestAt(imagesUri, db, spark);
        assertThat(lost.code()).as(lost.err() + lost.out()).isZero();
        assertThat(lost.out()).contains("spark: activations of 24 images (0 new, 24 from the Parquet table");
        assertThat(imageReads()).as("image reads after the loss").isEmpty();
        assertSameGraph(db);
    }

    /** How many times each image of the collection was opened through otherfs since {@code OPENED} was cleared. */
    private Map<String, Long> imageReads() {
        String prefix = images.toAbsolutePath() + "/";
        Map<String, Long> reads = new TreeMap<>();
        for (String path : OtherSchemeFileSystem.OPENED) {
            if (path.startsWith(prefix)) {
                reads.merge(path.substring(prefix.length()), 1L, Long::sum);
            }
        }
        return reads;
    }

    @Test
    void should_refuse_an_unreachable_master_an_empty_collection_and_changed_options_with_one_line() throws Exception {
        CliRun unreachable = ingest(tmp.resolve("unreachable"), "--spark", "spark://127.0.0.1:1");
        assertThat(unreachable.code()).as(unreachable.err()).isEqualTo(2);
        assertThat(unreachable.errLines())
                .containsExactly("hmn: --spark spark://127.0.0.1:1: no master answers there (connection refused or"
                        + " timed out); start the master or give local[N]");
        assertThat(tmp.resolve("unreachable")).doesNotExist();

        CliRun s3a = ingestAt("s3a://bucket/images", tmp.resolve("s3a"), "--spark", "local[2]");
        assertThat(s3a.code()).as(s3a.err()).isEqualTo(2);
        assertThat(s3a.errLines())
                .containsExactly("hmn: IMAGES_DIR s3a://bucket/images: no Hadoop file system for the scheme 's3a' is"
                        + " on the class path; add its connector jar to the spark module's (org.apache.hadoop:hadoop-aws"
                        + " 3.4.1 and the AWS SDK v2 bundle), or give a local or shared folder");
        assertThat(tmp.resolve("s3a")).doesNotExist();

        CliRun s3aWork = ingest(tmp.resolve("s3a-work"), "--work", "s3a://bucket/work", "--spark", "local[2]");
        assertThat(s3aWork.code()).as(s3aWork.err()).isEqualTo(2);
        assertThat(s3aWork.errLines())
                .containsExactly("hmn: --work s3a://bucket/work: no Hadoop file system for the scheme 's3a' is on the"
                        + " class path; add its connector jar to the spark module's (org.apache.hadoop:hadoop-aws 3.4.1"
                        + " and the AWS SDK v2 bundle), or give a local or shared folder");
        assertThat(tmp.resolve("s3a-work")).doesNotExist();

        String missing = OtherSchemeFileSystem.SCHEME + "://"
                + tmp.resolve("no-such-images").toAbsolutePath();
        CliRun absent = ingestAt(missing, tmp.resolve("absent"), "--spark", "local[2]");
        assertThat(absent.code()).as(absent.err()).isEqualTo(2);
        assertThat(absent.errLines())
                .containsExactly("hmn: IMAGES_DIR " + missing + " does not exist; give the folder of images");
        assertThat(tmp.resolve("absent")).doesNotExist();

        CliRun bad = ingest(tmp.resolve("bad"), "--spark", "nonsense[");
        assertThat(bad.code()).as(bad.err()).isEqualTo(2);
        assertThat(bad.errLines()).hasSize(1);
        assertThat(bad.errLines().get(0)).startsWith("hmn: --spark nonsense[ cannot be used: ");
        assertThat(tmp.resolve("bad")).doesNotExist();

        Path empty = Files.createDirectories(tmp.resolve("empty-images"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hmn.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "ingest",
                empty.toString(),
                "--db",
                tmp.resolve("empty").toString(),
                "--random-weights",
                "3",
                "--spark",
                "local[2]",
                "--no-progress");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().toList())
                .containsExactly("hmn: IMAGES_DIR " + empty + " holds no images; give the folder of images");
        assertThat(tmp.resolve("empty")).doesNotExist();
        String emptyUri = OtherSchemeFileSystem.SCHEME + "://" + empty.toAbsolutePath();
        CliRun emptyHadoop = ingestAt(emptyUri, tmp.resolve("empty-hadoop"), "--spark", "local[2]");
        assertThat(emptyHadoop.code()).as(emptyHadoop.err()).isEqualTo(2);
        assertThat(emptyHadoop.errLines())
                .containsExactly("hmn: IMAGES_DIR " + emptyUri + " holds no images; give the folder of images");
        assertThat(tmp.resolve("empty-hadoop")).doesNotExist();

        // a work directory computed with seeded weights 4, resumed with seed 3
        Path db = tmp.resolve("changed");
        Path sparkDir = Files.createDirectories(tmp.resolve("changed.work/spark"));
        Files.writeString(sparkDir.resolve("options.json"), "{\"randomSeed\": 4}");
        CliRun changed = ingest(db, "--spark", "local[2]");
        assertThat(changed.code()).as(changed.err()).isEqualTo(2);
        assertThat(changed.errLines()).hasSize(1);
        assertThat(changed.errLines().get(0))
                .startsWith("hmn: " + sparkDir + " holds activations computed with other options (");
        assertThat(db).doesNotExist();
    }

    private void assertSameGraph(Path db) {
        List<String> actual = dump(db);
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<String> extra = new ArrayList<>(actual);
        extra.removeAll(expected);
        assertThat(missing).as("lines of the single-JVM graph missing").isEmpty();
        assertThat(extra).as("lines not in the single-JVM graph").isEmpty();
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    /** Every node and relationship with its properties as sorted lines (generation and creation time left out). */
    static List<String> dump(Path db) {
        List<String> lines = new ArrayList<>();
        try (Store store = Store.open(db)) {
            store.db()
                    .executeTransactionally(
                            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", Map.of(), r -> {
                                r.forEachRemaining(row -> lines.add(
                                        "node " + row.get("labels") + " " + canonical((Map<?, ?>) row.get("props"))));
                                return null;
                            });
            store.db()
                    .executeTransactionally(
                            "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props,"
                                    + " labels(a) + [coalesce(a.id, a.name, toString(a.number), 'meta')] AS a,"
                                    + " labels(b) + [coalesce(b.id, b.name, toString(b.number), 'meta')] AS b",
                            Map.of(),
                            r -> {
                                r.forEachRemaining(row -> lines.add("rel " + row.get("a") + " -" + row.get("type")
                                        + "-> " + row.get("b") + " " + canonical((Map<?, ?>) row.get("props"))));
                                return null;
                            });
        }
        lines.sort(null);
        return lines;
    }

    private static String canonical(Map<?, ?> props) {
        Map<String, String> sorted = new TreeMap<>();
        props.forEach((k, v) -> {
            if (!k.equals("generation") && !k.equals("createdAt")) {
                sorted.put((String) k, value(v));
            }
        });
        return sorted.toString();
    }

    private static String value(Object v) {
        if (v != null && v.getClass().isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                items.add(String.valueOf(Array.get(v, i)));
            }
            return items.toString();
        }
        return String.valueOf(v);
    }
}
