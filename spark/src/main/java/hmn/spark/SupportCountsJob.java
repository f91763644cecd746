package hmn.spark;

import hmn.format.Partitions;
import hmn.group.ActivatedSets;
import hmn.group.Hierarchy;
import hmn.group.SupportCounts;
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
            SparkSession spark, String activations, Partitions partition, boolean syntheticRoot, double top) {
        return counts(
                spark, activations, Hierarchy.ofPartition(partition.labels(), syntheticRoot), partition.images(), top);
    }

    /** As above for a hierarchy whose image row r is {@code images.get(r)} (e.g. the graph importer's). */
    public static Dataset<Row> counts(
            SparkSession spark, String activations, Hierarchy h, List<String> images, double top) {
        List<Row> members = new ArrayList<>();
        for (int c = 0; c < h.size(); c++) {
            for (int row : h.rows(c)) {
                members.add(RowFactory.create(images.get(row), h.id(c)));
            }
        }
        JavaRDD<Row> activated = spark.read()
                .parquet(activations)
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

    /**
     * The counts of {@code layer} as core's {@link SupportCounts} for {@code h} (image row r is {@code images.get(r)}),
     * or null when the table does not hold that layer's activations for every one of those images (e.g. some were
     * computed by an earlier run without Spark): the counts are then left to the importer.
     */
    public static SupportCounts supportCounts(
            SparkSession spark,
            String activations,
            Hierarchy h,
            List<String> images,
            String layer,
            int channels,
            double top) {
        Dataset<Row> table = spark.read()
                .parquet(activations)
                .where(org.apache.spark.sql.functions.col("skipped").isNull())
                .where(org.apache.spark.sql.functions.col("layer").equalTo(layer));
        long held = table.select("image")
                .distinct()
                .join(
                        spark.createDataset(images, org.apache.spark.sql.Encoders.STRING())
                                .toDF("image"),
                        "image")
                .count();
        if (held != images.size()) {
            return null;
        }
        int[] counts = new int[h.size() * channels];
        for (Row r : counts(spark, activations, h, images, top)
                .where(org.apache.spark.sql.functions.col("layer").equalTo(layer))
                .collectAsList()) {
            int cluster = h.find(r.getString(0)).orElseThrow();
            counts[cluster * channels + r.getInt(2)] = Math.toIntExact(r.getLong(3));
        }
        return SupportCounts.of(h, channels, counts);
    }

    /** {@link #counts} collected on the driver. */
    public static List<Count> collect(
            SparkSession spark, String activations, Partitions partition, boolean syntheticRoot, double top) {
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
