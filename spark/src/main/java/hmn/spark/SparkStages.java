package hmn.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.activations.ActivationStage;
import hmn.activations.ActivationStore;
import hmn.captions.Captioner;
import hmn.core.BadInputException;
import hmn.group.Rank;
import hmn.group.SupportCounts;
import hmn.group.SupportCountsSource;
import hmn.images.ImageSource;
import hmn.io.FloatMatrix;
import hmn.language.options.BlipOptions;
import hmn.language.options.LanguageOptions;
import hmn.pipeline.DistributedStages;
import hmn.pipeline.WorkDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * {@code ingest --spark MASTER}: the activation, caption and embedding stages as Spark jobs. The pipeline gives the images in the
 * collection's order; those the work directory already holds are left out, executors run the model over partitions
 * of the rest ({@link ActivationTask}, one model per executor JVM, reading the images where they are: a shared folder
 * or a Hadoop file system) and the rows land as Parquet in {@code WORK/spark/activations.parquet}, or under
 * {@code URI/spark/} for a Hadoop {@code --work} ({@link Tables}) (columns {@code image}, {@code layer}, {@code values} float array,
 * {@code skipped} reason). The driver then appends them, in the collection's order, to the work directory's
 * ordinary activations directory, as a single-JVM run would have written them: the pipeline's own activation stage
 * finds them done, and the graph is the same. Captions ({@link CaptionTask}) and caption embeddings
 * ({@link EmbeddingTask}) run the same way, each executor loading its captioner and embedder once, into
 * {@code WORK/spark/captions.parquet} and {@code embeddings.parquet}, which the driver hands to the pipeline's
 * stages. The session starts with the first job that has work to do.
 */
public final class SparkStages implements DistributedStages {
    /** The Parquet rows of the activation stage. */
    static final StructType SCHEMA = new StructType()
            .add("image", DataTypes.StringType, false)
            .add("layer", DataTypes.StringType, true)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("skipped", DataTypes.StringType, true);

    /** The Parquet rows of the caption stage: content key, image, captioner (provenance), caption or failure. */
    static final StructType CAPTIONS = new StructType()
            .add("key", DataTypes.StringType, false)
            .add("image", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("caption", DataTypes.StringType, true)
            .add("failure", DataTypes.StringType, true);

    /** The Parquet rows of the embedding stage: one per distinct sentence. */
    static final StructType EMBEDDINGS = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add("sentence", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int APPEND_ROWS = 256;

    private final String master;
    private final Tables tables;
    private final PrintWriter out;
    private SparkSession spark;

    /** What {@link java.util.ServiceLoader} finds for {@link DistributedStages#open}. */
    public static final class Opener implements DistributedStages.Factory {
        @Override
        public DistributedStages open(String master, WorkDir work, String hadoopWork, PrintWriter out) {
            return new SparkStages(master, work, hadoopWork, out);
        }
    }

    /**
     * Where the Parquet tables and {@code options.json} live: {@code WORK/spark} of the driver's work directory, or
     * {@code URI/spark} on a Hadoop file system ({@code --work URI}), written by the executors and the driver through
     * Hadoop.
     *
     * @param location the folder as Spark and Hadoop address it (a URI)
     * @param shown the folder as messages name it (the local path, or the URI)
     * @param fs its file system
     */
    record Tables(String location, String shown, FileSystem fs) {
        /** The tables in {@code hadoopWork/spark} ({@code --work URI}), or in {@code work} when null. */
        static Tables of(WorkDir work, String hadoopWork) {
            String location = hadoopWork != null
                    ? hadoopWork.replaceAll("/+$", "") + "/spark"
                    : work.spark().toAbsolutePath().toUri().toString().replaceAll("/+$", "");
            FileSystem fs = HadoopFiles.fileSystem(
                    URI.create(hadoopWork != null ? hadoopWork : location), HadoopFiles.configuration(), "--work");
            if (fs instanceof LocalFileSystem local) {
                fs = local.getRaw(); // no .crc files beside options.json
            }
            return new Tables(
                    location, hadoopWork != null ? location : work.spark().toString(), fs);
        }

        /** One table (or file) of the folder, as Spark and Hadoop address it. */
        String at(String name) {
            return location + "/" + name;
        }

        boolean exists(String name) {
            try {
                return fs.exists(new org.apache.hadoop.fs.Path(at(name)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + at(name), e);
            }
        }
    }

    SparkStages(String master, WorkDir work, String hadoopWork, PrintWriter out) {
        this.master = master;
        this.tables = Tables.of(work, hadoopWork);
        this.out = out;
    }

    /** The name of the activations' Parquet table in {@link Tables}. */
    static final String ACTIVATIONS = "activations.parquet";

    @Override
    public ImageSource images(URI images) {
        return new HadoopImages(images);
    }

    /**
     * Appends the activations of the images the driver's work directory lacks: rows an earlier run left in the
     * Parquet table are reused, the rest computed on the executors, which read the images where they are.
     */
    @Override
    public ActivationStage.Loaded activations(
            ImageSource images, List<String> ids, WorkDir work, ActivationStage.Options options) {
        checkOptions(options);
        Set<String> done = new HashSet<>(finished(work.activations()));
        List<String> todo = ids.stream().filter(i -> !done.contains(i)).toList();
        long t0 = System.nanoTime();
        if (todo.isEmpty()) {
            out.printf(
                    Locale.ROOT, "spark: all %,d images finished in an earlier run; nothing to compute%n", ids.size());
            out.flush();
            return null;
        }
        SparkSession spark = session();
        String table = tables.at(ACTIVATIONS);
        Set<String> inTable = tables.exists(ACTIVATIONS) ? imagesIn(spark, table) : Set.of();
        List<String> compute = todo.stream().filter(i -> !inTable.contains(i)).toList();
        int partitions = 0;
        if (!compute.isEmpty()) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            partitions = partitions(sc, compute.size());
            JavaRDD<Row> rows = sc.parallelize(compute, partitions)
                    .mapPartitions(new ActivationTask(options, TaskImages.of(images)));
            spark.createDataFrame(rows, SCHEMA).write().mode(SaveMode.Append).parquet(table);
        }
        appendToWork(spark, table, todo, work, options);
        out.printf(
                Locale.ROOT,
                "spark: activations of %,d images (%,d new, %,d from the Parquet table of an earlier run, %d"
                        + " partitions) on %s in %.1f s; Parquet in %s%n",
                ids.size(),
                compute.size(),
                todo.size() - compute.size(),
                partitions,
                master,
                (System.nanoTime() - t0) / 1e9,
                tables.shown() + "/" + ACTIVATIONS);
        out.flush();
        return ExecutorModels.get(options); // loaded by appendToWork, kept for this JVM's executor tasks
    }

    /** The images a Parquet table of activations holds (rows or a skip). */
    private static Set<String> imagesIn(SparkSession spark, String table) {
        Set<String> images = new HashSet<>();
        spark.read()
                .parquet(table)
                .select("image")
                .distinct()
                .toLocalIterator()
                .forEachRemaining(r -> images.add(r.getString(0)));
        return images;
    }

    /**
     * Captions one image per content key on the executors ({@link CaptionTask}); the rows are appended to
     * {@code WORK/spark/captions.parquet}, and the caption stage caches and orders them as its own.
     */
    @Override
    public Map<String, Captioner.Outcome> captions(
            ImageSource images,
            Map<String, String> imageOfKey,
            String captioner,
            LanguageOptions language,
            BlipOptions blip) {
        long t0 = System.nanoTime();
        SparkSession spark = session();
        String table = tables.at("captions.parquet");
        // captions an earlier run left in the table are kept (the key names the captioner); failures are tried again
        Map<String, Captioner.Outcome> outcomes = captionsIn(spark, table, imageOfKey);
        List<Tuple2<String, String>> pairs = new ArrayList<>();
        imageOfKey.forEach((key, image) -> {
            if (!outcomes.containsKey(key)) {
                pairs.add(new Tuple2<>(key, image));
            }
        });
        int partitions = 0;
        if (!pairs.isEmpty()) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            partitions = partitions(sc, pairs.size());
            ExecutorLanguageModels.Spec spec =
                    new ExecutorLanguageModels.Spec(captioner, LanguageSettings.of(language, blip));
            JavaRDD<Row> rows =
                    sc.parallelize(pairs, partitions).mapPartitions(new CaptionTask(spec, TaskImages.of(images)));
            spark.createDataFrame(rows, CAPTIONS).write().mode(SaveMode.Append).parquet(table);
            Map<String, String> computed = new HashMap<>();
            pairs.forEach(p -> computed.put(p._1(), p._2()));
            outcomes.putAll(outcomesIn(spark, table, computed, true));
        }
        out.printf(
                Locale.ROOT,
                "spark: captions of %,d images by %s (%,d new, %d partitions) on %s in %.1f s; Parquet in %s%n",
                imageOfKey.size(),
                captioner,
                pairs.size(),
                partitions,
                master,
                (System.nanoTime() - t0) / 1e9,
                tables.shown() + "/captions.parquet");
        out.flush();
        return outcomes;
    }

    /** The captions (not the failures) the table already holds for {@code imageOfKey}'s keys; none if no table. */
    private Map<String, Captioner.Outcome> captionsIn(
            SparkSession spark, String table, Map<String, String> imageOfKey) {
        return tables.exists("captions.parquet") ? outcomesIn(spark, table, imageOfKey, false) : new HashMap<>();
    }

    /** The outcomes a caption table holds for these keys, failures included or not. */
    private static Map<String, Captioner.Outcome> outcomesIn(
            SparkSession spark, String table, Map<String, String> imageOfKey, boolean failures) {
        Map<String, Captioner.Outcome> outcomes = new HashMap<>();
        Iterator<Row> it = spark.read().parquet(table).toLocalIterator();
        while (it.hasNext()) {
            Row r = it.next();
            String key = r.getString(0);
            if (!imageOfKey.containsKey(key)) {
                continue;
            }
            if (r.isNullAt(4)) {
                outcomes.put(key, Captioner.Outcome.of(r.getString(3)));
            } else if (failures && !outcomes.containsKey(key)) {
                outcomes.put(key, Captioner.Outcome.failed(r.getString(4)));
            }
        }
        return outcomes;
    }

    /**
     * Embeds each distinct sentence once on the executors ({@link EmbeddingTask}) into
     * {@code WORK/spark/embeddings.parquet} (rewritten), then lays the vectors out in the order of
     * {@code sentences}, one row per sentence, as {@link hmn.embeddings.Embedder#embedDistinct} does.
     */
    @Override
    public Embedded embed(List<String> sentences, String embedder, LanguageOptions language) {
        long t0 = System.nanoTime();
        Map<String, Integer> indexOf = new LinkedHashMap<>();
        for (String sentence : sentences) {
            indexOf.putIfAbsent(sentence, indexOf.size());
        }
        List<Tuple2<Integer, String>> pairs = new ArrayList<>();
        indexOf.forEach((sentence, i) -> pairs.add(new Tuple2<>(i, sentence)));
        SparkSession spark = session();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = partitions(sc, pairs.size());
        ExecutorLanguageModels.Spec spec =
                new ExecutorLanguageModels.Spec(embedder, LanguageSettings.of(language, null));
        JavaRDD<Row> rows = sc.parallelize(pairs, partitions).mapPartitions(new EmbeddingTask(spec));
        String table = tables.at("embeddings.parquet");
        spark.createDataFrame(rows, EMBEDDINGS).write().mode(SaveMode.Overwrite).parquet(table);
        float[][] vectors = new float[indexOf.size()][];
        String model = null;
        Iterator<Row> it = spark.read().parquet(table).toLocalIterator();
        while (it.hasNext()) {
            Row r = it.next();
            vectors[r.getInt(0)] = floats(r.getList(3));
            model = r.getString(2);
        }
        int d = vectors.length == 0 ? 0 : vectors[0].length;
        float[] data = new float[sentences.size() * d];
        for (int i = 0; i < sentences.size(); i++) {
            System.arraycopy(vectors[indexOf.get(sentences.get(i))], 0, data, i * d, d);
        }
        out.printf(
                Locale.ROOT,
                "spark: embeddings of %,d distinct captions by %s (%d partitions) on %s in %.1f s; Parquet in %s%n",
                indexOf.size(),
                model,
                partitions,
                master,
                (System.nanoTime() - t0) / 1e9,
                tables.shown() + "/embeddings.parquet");
        out.flush();
        return new Embedded(new FloatMatrix(sentences.size(), d, data), model);
    }

    /** Two partitions per core, at most 256 items each, and never more partitions than items. */
    private static int partitions(JavaSparkContext sc, int items) {
        return Math.max(1, Math.min(items, Math.max(sc.defaultParallelism() * 2, (items + 255) / 256)));
    }

    static float[] floats(List<Float> list) {
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = list.get(i);
        }
        return v;
    }

    /** The session, started on first use: a standalone master must answer first. */
    private SparkSession session() {
        if (spark == null) {
            checkReachable(master);
            spark = session(master);
        }
        return spark;
    }

    /**
     * The groups' support counts as a Spark aggregation over this run's activation table ({@link SupportCountsJob}),
     * for the paper's raw ranking; null for z-score ranking (which needs each channel's mean and sd first) or where
     * the table lacks images, and the importer then counts in its JVM.
     */
    @Override
    public SupportCountsSource supportCounts() {
        return (hierarchy, images, layer, channels, config) -> {
            if (config.rank() != Rank.RAW || !tables.exists(ACTIVATIONS)) {
                return null;
            }
            long t0 = System.nanoTime();
            SupportCounts counts = SupportCountsJob.supportCounts(
                    session(), tables.at(ACTIVATIONS), hierarchy, images, layer, channels, config.top());
            if (counts != null) {
                out.printf(
                        Locale.ROOT,
                        "spark: support counts of %s (%,d clusters x %d neurons) aggregated in %.1f s%n",
                        layer,
                        hierarchy.size(),
                        channels,
                        (System.nanoTime() - t0) / 1e9);
                out.flush();
            }
            return counts;
        };
    }

    @Override
    public void close() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
    }

    /** A local Spark session on {@code master} (no UI); a master Spark cannot use is bad input. */
    static SparkSession session(String master) {
        try {
            return SparkSession.builder()
                    .master(master)
                    .appName("hmn ingest")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.parquet.compression.codec", "snappy")
                    .getOrCreate();
        } catch (Exception e) { // Scala code throws the checked SparkException undeclared
            throw new BadInputException(
                    "--spark " + master + " cannot be used: " + oneLine(e)
                            + "; give local[N] or spark://HOST:PORT of a running master",
                    e);
        }
    }

    /** A standalone master ({@code spark://host:port,...}) must accept a connection within 5 s. */
    static void checkReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 7077;
            } catch (NumberFormatException e) {
                throw new BadInputException("--spark " + master + ": '" + hostPort + "' is not HOST:PORT");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 5000);
                return;
            } catch (IOException e) {
                // try the next master
            }
        }
        throw new BadInputException("--spark " + master + ": no master answers there (connection refused or timed"
                + " out); start the master or give local[N]");
    }

    /**
     * {@code WORK/spark/options.json} records the model options the Parquet table was computed with; a resumed run
     * must give the same, so that the table never mixes two models' rows.
     */
    private void checkOptions(ActivationStage.Options options) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(tables.at("options.json"));
        FileSystem fs = tables.fs();
        try {
            Map<?, ?> now = JSON.readValue(JSON.writeValueAsBytes(options), Map.class);
            if (fs.exists(file)) {
                Map<?, ?> before;
                try (InputStream in = fs.open(file)) {
                    before = JSON.readValue(in, Map.class);
                }
                if (!before.equals(now)) {
                    throw new BadInputException(tables.shown() + " holds activations computed with other options ("
                            + before + ", now " + now + "); give the same options, or delete " + tables.shown());
                }
            } else {
                fs.mkdirs(file.getParent());
                try (OutputStream o = fs.create(file, true)) {
                    JSON.writerWithDefaultPrettyPrinter().writeValue(o, now);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** Images an activations directory holds or skipped (none if it does not exist). */
    private static List<String> finished(Path dir) {
        List<String> ids = new ArrayList<>();
        try {
            if (Files.exists(dir.resolve("images.txt"))) {
                ids.addAll(Files.readAllLines(dir.resolve("images.txt"), StandardCharsets.UTF_8));
            }
            if (Files.exists(dir.resolve("skipped.tsv"))) {
                for (String line : Files.readAllLines(dir.resolve("skipped.tsv"), StandardCharsets.UTF_8)) {
                    int tab = line.indexOf('\t');
                    if (tab > 0) {
                        ids.add(line.substring(0, tab));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return ids;
    }

    /**
     * Appends the Parquet rows of {@code todo} to the work directory's activations, in {@code todo}'s order (the
     * collection's), which is what makes the graph the same as a single JVM's. Returns the rows stored.
     */
    private static long appendToWork(
            SparkSession spark, String table, List<String> todo, WorkDir work, ActivationStage.Options options) {
        Set<String> wanted = new HashSet<>(todo);
        Map<String, Map<String, float[]>> values = new HashMap<>();
        Map<String, String> skipped = new HashMap<>();
        Iterator<Row> it = spark.read().parquet(table).toLocalIterator();
        while (it.hasNext()) {
            Row r = it.next();
            String image = r.getString(0);
            if (!wanted.contains(image)) {
                continue;
            }
            if (!r.isNullAt(3)) {
                skipped.put(image, r.getString(3));
            } else {
                values.computeIfAbsent(image, k -> new HashMap<>()).put(r.getString(1), floats(r.getList(2)));
            }
        }
        ActivationStage.Loaded model = ExecutorModels.get(options);
        Map<String, Integer> layers = model.net().layers();
        long stored = 0;
        try (ActivationStore store = ActivationStore.open(work.activations(), layers, model.run())) {
            Set<String> already = store.done();
            List<String> names = new ArrayList<>();
            for (String image : todo) {
                if (already.contains(image)) {
                    continue;
                }
                if (skipped.containsKey(image)) {
                    stored += flush(store, names, values, layers);
                    store.skip(image, skipped.get(image));
                } else if (values.containsKey(image)) {
                    names.add(image);
                    if (names.size() == APPEND_ROWS) {
                        stored += flush(store, names, values, layers);
                    }
                } else {
                    throw new IllegalStateException("the Spark job returned no activations for " + image);
                }
            }
            stored += flush(store, names, values, layers);
        }
        return stored;
    }

    private static int flush(
            ActivationStore store,
            List<String> names,
            Map<String, Map<String, float[]>> values,
            Map<String, Integer> layers) {
        if (names.isEmpty()) {
            return 0;
        }
        Map<String, FloatMatrix> batch = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> layer : layers.entrySet()) {
            int cols = layer.getValue();
            float[] data = new float[names.size() * cols];
            for (int i = 0; i < names.size(); i++) {
                System.arraycopy(values.get(names.get(i)).get(layer.getKey()), 0, data, i * cols, cols);
            }
            batch.put(layer.getKey(), new FloatMatrix(names.size(), cols, data));
        }
        store.append(List.copyOf(names), batch);
        int n = names.size();
        names.clear();
        return n;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
