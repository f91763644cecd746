package hmn.spark;

import hmn.cli.Hmn;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spark-submit --class hmn.spark.SparkIngest ... IMAGES_DIR --db DIR [ingest options]}: {@code hmn ingest} as
 * a Spark application, taking the same options. The master is the one {@code spark-submit --master} gives (its
 * {@code spark.master} property) unless {@code --spark} names one; everything else is {@code ingest --spark}.
 */
public final class SparkIngest {
    private SparkIngest() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(Hmn.run(out, err, arguments(args, System.getProperty("spark.master"))));
    }

    /** {@code ingest} and {@code args}, with {@code --spark master} added when they name no master. */
    static String[] arguments(String[] args, String master) {
        List<String> all = new ArrayList<>(List.of("ingest"));
        all.addAll(List.of(args));
        boolean named = all.stream().anyMatch(a -> a.equals("--spark") || a.startsWith("--spark="));
        if (!named && master != null && !master.isBlank()) {
            all.add("--spark");
            all.add(master);
        }
        return all.toArray(new String[0]);
    }
}
