package hmn.bench;

import hmn.group.ActivatedSets;
import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import hmn.group.Mode;
import hmn.group.SupportCounts;
import hmn.io.FloatMatrix;
import hmn.validity.GroupAblation;
import hmn.validity.LinearAblation;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn bench ablation}: the time {@code hmn validate} needs for its ablations on a paper-shaped collection
 * (layer4 of 512 channels read by 1,000 logits, groups of 51 neurons), without the graph around it: every cluster of
 * the chosen levels, its group and difference set against R random sets on M images.
 */
@Command(
        name = "ablation",
        mixinStandardHelpOptions = true,
        description = "Times hmn validate's ablations (layer4, 1,000 outputs) on a generated paper-shaped collection.")
public final class AblationBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", defaultValue = "25000", description = "Images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--clusters",
            split = ",",
            defaultValue = "5000,1000,200,40,8,2",
            description = "Clusters per level from level 1 up (default: ${DEFAULT-VALUE}).")
    List<Integer> clusters;

    @Option(
            names = "--from-level",
            defaultValue = "2",
            description = "Lowest level checked (default: ${DEFAULT-VALUE}).")
    int fromLevel;

    @Option(names = "--random-sets", defaultValue = "20", description = "R (default: ${DEFAULT-VALUE}).")
    int randomSets;

    @Option(names = "--images-per-cluster", defaultValue = "64", description = "M (default: ${DEFAULT-VALUE}).")
    int imagesPerCluster;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int channels = 512;
        int outputs = 1000;
        SplittableRandom random = new SplittableRandom(1);
        // 51 channels strong in every image: every group is those 51 (the raw ranking's always-strong neurons)
        float[] values = new float[images * channels];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble() + ((i % channels) < 51 ? 1f : 0f);
        }
        Hierarchy.Builder b = Hierarchy.builder().images(images);
        for (int l = 0; l < clusters.size(); l++) {
            for (int k = 0; k < clusters.get(l); k++) {
                b.cluster("L" + (l + 1) + "-" + k, l + 1, "");
            }
        }
        for (int l = 1; l < clusters.size(); l++) {
            for (int k = 0; k < clusters.get(l - 1); k++) {
                b.child("L" + (l + 1) + "-" + (k % clusters.get(l)), "L" + l + "-" + k);
            }
        }
        for (int i = 0; i < images; i++) {
            b.image("L1-" + (i % clusters.get(0)), i);
        }
        Hierarchy h = b.build();
        FloatMatrix pooled = new FloatMatrix(images, channels, values);
        LayerGroups groups = LayerGroups.compute(
                SupportCounts.compute(h, ActivatedSets.compute(values, images, channels, 51), channels),
                0.5,
                Mode.INTERSECTION);
        float[] weight = new float[outputs * channels];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextGaussian();
        }
        LinearAblation ablation = new LinearAblation(
                new FloatMatrix(outputs, channels, weight), new float[outputs], LinearAblation.columnMeans(pooled));
        long start = System.nanoTime();
        int done = 0;
        long sizes = 0;
        for (int c = 0; c < h.size(); c++) {
            if (h.level(c) >= fromLevel) {
                GroupAblation.Outcome o = GroupAblation.of(
                        h, groups, pooled.rows(), ablation.on(pooled), c, imagesPerCluster, randomSets, 1);
                done++;
                sizes += o.groupSize();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double flops = 2.0 * done * (randomSets + 2.0) * imagesPerCluster * outputs * (sizes / (double) done);
        out.printf(
                Locale.ROOT,
                "%d clusters (levels %d..) of %d images, groups of %.0f, R = %d, M = %d: %.1f s, %.1f ms a cluster,"
                        + " %.1f GFLOP/s in the ablated products%n",
                done,
                fromLevel,
                images,
                sizes / (double) done,
                randomSets,
                imagesPerCluster,
                seconds,
                1000 * seconds / done,
                flops / seconds / 1e9);
        return 0;
    }
}
