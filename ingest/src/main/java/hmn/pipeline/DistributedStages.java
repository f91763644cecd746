package hmn.pipeline;

import hmn.activations.ActivationStage;
import hmn.captions.CaptionStage;
import hmn.captions.Captioner;
import hmn.core.BadInputException;
import hmn.group.SupportCountsSource;
import hmn.images.ImageSource;
import hmn.io.FloatMatrix;
import hmn.language.options.BlipOptions;
import hmn.language.options.LanguageOptions;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The per-image stages and the caption embeddings run elsewhere than in this JVM (on Apache Spark, by the
 * {@code spark/} module), for {@code ingest --spark MASTER}. Each method leaves in the ordinary work directory (or
 * hands the pipeline) what the single-JVM stage would have written there, in the same order, so the {@link Pipeline}'s own stages then find their work done and the
 * graph is the one a single JVM builds. Found with {@link ServiceLoader} only when {@code --spark} is given, so the
 * default start-up never loads Spark.
 */
public interface DistributedStages extends AutoCloseable {
    /**
     * The collection under {@code images}, the URI of a Hadoop file system ({@code hdfs://}, {@code s3a://} ...),
     * listed and read through that file system by the driver and the executors alike (no local copy). Bad input, in
     * one line, when no file system for its scheme is on the class path.
     */
    ImageSource images(URI images);

    /**
     * Appends to {@link WorkDir#activations()}, in the order of {@code ids} (of {@code images}), the rows of every
     * image it does not hold yet, computed with the model {@code options} describe. Returns the model as this JVM
     * loaded it to write the rows, for the pipeline's own activation stage to reuse rather than load again (it stays
     * open: its owner closes it), or null when this JVM loaded none.
     */
    ActivationStage.Loaded activations(
            ImageSource images, List<String> ids, WorkDir work, ActivationStage.Options options);

    /**
     * The outcome of {@code captioner} (as {@code --captioner} names it) for one image of each content key of
     * {@code imageOfKey}: the caption stage's {@link CaptionStage.Elsewhere}, which caches and orders them as it
     * does its own.
     */
    Map<String, Captioner.Outcome> captions(
            ImageSource images,
            Map<String, String> imageOfKey,
            String captioner,
            LanguageOptions language,
            BlipOptions blip);

    /** {@code sentences} embedded by {@code embedder} (as {@code --embedder} names it), one row each, in order. */
    Embedded embed(List<String> sentences, String embedder, LanguageOptions language);

    /**
     * Where the graph import takes the groups' support counts from (an aggregation where the activations are), or
     * null to count them in this JVM.
     */
    default SupportCountsSource supportCounts() {
        return null;
    }

    /** Embeddings and the model that computed them ({@link hmn.embeddings.Embedder#model()}). */
    record Embedded(FloatMatrix vectors, String model) {}

    /** Stops what was started (the Spark session). */
    @Override
    void close();

    /** What {@link ServiceLoader} finds: opens the distributed stages on a master (started lazily). */
    interface Factory {
        DistributedStages open(String master, WorkDir work, String hadoopWork, PrintWriter out);
    }

    /**
     * The implementation on the class path, for {@code master}, keeping its tables in {@code hadoopWork/spark} (a
     * Hadoop file system's URI given as {@code --work}) or, when null, in {@link WorkDir#spark()}; bad input when
     * there is none (hmn started without the spark module), or when no file system for the scheme of
     * {@code hadoopWork} is on the class path.
     */
    static DistributedStages open(String master, WorkDir work, String hadoopWork, PrintWriter out) {
        return ServiceLoader.load(Factory.class)
                .findFirst()
                .orElseThrow(() -> new BadInputException("--spark needs the spark module on the class path; build it"
                        + " with 'mvn -DskipTests package -pl spark -am' and start hmn with ./hmn, which adds it for"
                        + " --spark"))
                .open(master, work, hadoopWork, out);
    }
}
