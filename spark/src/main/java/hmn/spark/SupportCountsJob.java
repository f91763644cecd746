package hmn.spark;

import hmn.format.Partitions;
import hmn.group.ActivatedSets;
import hmn.group.Hierarchy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The support counts as a Spark aggregation, for collections whose activations do not fit one machine: for every
 * cluster of a partition's hierarchy, layer and neuron, the number of the cluster's images whose activated set holds
 * the neuron. Executors take the activated sets (top-k of the raw activations, core's {@link ActivatedSets} rule)
 * from the Parquet table of {@code ingest --spark} ({@link SparkStages#parquet}); the join with the images of each
 * cluster (core's {@link Hierarchy#ofPartition}, so the cluster ids are the graph's) and the count run in Spark. The
 * result equals core's in-memory {@code hmn.group.SupportCounts} entry for entry (zero counts are left out).
 */
public final class SupportCountsJob {
    /** The activated neurons: one row per image, layer and neuron in its activated set. */
    static final StructType ACTIVATED = new StructType()
            .add("image", DataTypes.StringType, false)
            .add("layer", DataTypes.StringType, false)
            .add("neuron", DataTypes.IntegerType, false);

    /** Which cluster holds which image (directly or through a descendant). */
    static final StructType MEMBERS =
            new StructType().add("image", DataTypes.StringType, false).add("cluster", DataTypes.StringType, false);

    /** One count: of {@code cluster}'s images, {@code images} hold {@code neuron} of {@code layer} in their set. */
    public record Count(String cluster, String layer, int neuron, long images) {}

    private SupportCountsJob() {}

    /**
     * Columns {@code cluster}, {@code layer}, {@code neuron}, {@code images}: the non-zero counts over the partition's
     * images, with an activated set of {@code top} of each layer's channels.
     */
    public static Dataset<Row> counts(
            SparkSession spark, Path activations, Partitions partition, boolean syntheticRoot, double top) {
        Hierarchy h = Hierarchy.ofPartition(partition.labels(), syntheticRoot);
        List<Row> members = new ArrayList<>();
        for (int c = 0; c < h.size(); c++) {
            for (int row : h.rows(c)) {
                members.add(RowFactory.create(partition.images().get(row), h.id(c)));
            }
        }
        JavaRDD<Row> activated = spark.read()
                .parquet(activations.toString())
                .where("skipped IS NULL")
                .dropDuplicates("image", "layer") // a rerun after a killed append may have stored a row twice
                .javaRDD()
                .mapPartitions(rows -> activatedNeurons(rows, top));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(activated, ACTIVATED)
                .join(spark.createDataFrame(sc.parallelize(members), MEMBERS), "image")
                .groupBy("cluster", "layer", "neuron")
                .count()
                .withColumnRenamed("count", "images");
    }

    /** {@link #counts} collected on the driver. */
    public static List<Count> collect(
            SparkSession spark, Path activations, Partitions partition, boolean syntheticRoot, double top) {
        List<Count> out = new ArrayList<>();
        for (Row r : counts(spark, activations, partition, syntheticRoot, top).collectAsList()) {
            out.add(new Count(r.getString(0), r.getString(1), r.getInt(2), r.getLong(3)));
        }
        return out;
    }

    private static Iterator<Row> activatedNeurons(Iterator<Row> rows, double top) {
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            float[] values = SparkStages.floats(r.getList(r.fieldIndex("values")));
            String image = r.getString(r.fieldIndex("image"));
            String layer = r.getString(r.fieldIndex("layer"));
            for (int neuron : ActivatedSets.topK(values, ActivatedSets.k(top, values.length))) {
                out.add(RowFactory.create(image, layer, neuron));
            }
        }
        return out.iterator();
    }
}
