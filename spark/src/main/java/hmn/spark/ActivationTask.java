package hmn.spark;

import hmn.activations.ActivationStage;
import hmn.activations.ActivationStore;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One Spark task of the activation stage: runs the executor's model ({@link ExecutorModels}) over a partition of
 * image ids with the single-JVM stage's own decoding, preprocessing and batching ({@link ActivationStage.Loaded},
 * {@code ActivationRun}), reading the images where they are ({@link TaskImages}: a shared folder, or a Hadoop file
 * system), into a scratch activations directory on the executor's own disk, and returns its rows as
 * {@link SparkStages#SCHEMA} rows: one per image and layer, or one with the reason for a skipped image.
 */
final class ActivationTask implements FlatMapFunction<Iterator<String>, Row> {
    /** When "true", the first attempt of partition 0 fails (to test Spark's retry). */
    static final String FAIL_FIRST_ATTEMPT = "hmn.spark.failFirstAttempt";

    private static final long serialVersionUID = 1L;

    private final ActivationStage.Options options;
    private final TaskImages images;
    private final boolean failFirstAttempt;

    ActivationTask(ActivationStage.Options options, TaskImages images) {
        this.options = options;
        this.images = images;
        this.failFirstAttempt = Boolean.getBoolean(FAIL_FIRST_ATTEMPT);
    }

    @Override
    public Iterator<Row> call(Iterator<String> partition) {
        TaskContext task = TaskContext.get();
        if (failFirstAttempt && task.partitionId() == 0 && task.attemptNumber() == 0) {
            throw new IllegalStateException(
                    "injected failure of the first attempt of partition 0 (" + FAIL_FIRST_ATTEMPT + "=true)");
        }
        List<String> ids = new ArrayList<>();
        partition.forEachRemaining(ids::add);
        if (ids.isEmpty()) {
            return List.<Row>of().iterator();
        }
        ActivationStage.Loaded model = ExecutorModels.get(options);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("hmn-activations-part-" + task.partitionId() + "-");
            try (ActivationStore store = ActivationStore.open(dir, model.net().layers(), model.run())) {
                model.runner(options.batchSize(), Math.max(1, options.decodeThreads()), false)
                        .run(images.open(), ids, store);
            }
            List<Row> rows = new ArrayList<>();
            List<String> stored = Files.readAllLines(dir.resolve("images.txt"), StandardCharsets.UTF_8);
            for (Map.Entry<String, Integer> layer : model.net().layers().entrySet()) {
                FloatMatrix m = Npy.read(dir.resolve(layer.getKey() + ".npy"));
                for (int i = 0; i < stored.size(); i++) {
                    rows.add(RowFactory.create(stored.get(i), layer.getKey(), m.row(i), null));
                }
            }
            Path skipped = dir.resolve("skipped.tsv");
            if (Files.exists(skipped)) {
                for (String line : Files.readAllLines(skipped, StandardCharsets.UTF_8)) {
                    int tab = line.indexOf('\t');
                    if (tab > 0) {
                        rows.add(RowFactory.create(line.substring(0, tab), null, null, line.substring(tab + 1)));
                    }
                }
            }
            return rows.iterator();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the scratch directory " + dir, e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (dir != null) {
                deleteTree(dir);
            }
        } catch (IOException e) {
            // a temporary directory left behind costs only disk
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
