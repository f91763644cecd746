package hmn.pipeline;

import hmn.activations.ActivationStage;
import hmn.core.BadInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The per-image stages run elsewhere than in this JVM (on Apache Spark, by the {@code spark/} module), for
 * {@code ingest --spark MASTER}. An implementation computes the activations of a collection into a finished shard
 * directory of the work directory ({@code WORK/shards/spark/}), which the ordinary pipeline then reuses like any
 * {@code --shard} run's: the graph is the one a single JVM builds. Found with {@link ServiceLoader}, so the default
 * start-up never loads Spark.
 */
public interface DistributedStages {
    /** The shard directory name under {@code WORK/shards/} that the distributed run fills. */
    String SHARD_DIR = "spark";

    /**
     * Computes the activations of every image of {@code imagesDir} not yet in {@code work} into
     * {@code WORK/shards/spark/}, with the model {@code options} describe, on {@code master}.
     */
    void activations(String master, Path imagesDir, WorkDir work, ActivationStage.Options options, PrintWriter out);

    /** The implementation on the class path; bad input when there is none (hmn started without the spark module). */
    static DistributedStages load() {
        return ServiceLoader.load(DistributedStages.class)
                .findFirst()
                .orElseThrow(() -> new BadInputException("--spark needs the spark module on the class path; build it"
                        + " with 'mvn -DskipTests package' and start hmn with HMN_SPARK=1 (./hmn does this for"
                        + " --spark)"));
    }
}
