package hmn.cli;

import hmn.cli.shared.ExistingStoreOption;
import hmn.core.BadInputException;
import hmn.pipeline.WorkDir;
import hmn.report.ReportPages;
import hmn.report.ReportWriter;
import hmn.runtime.weights.WeightsSource;
import hmn.server.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmn report}: the static visual report of a store (overview, a page per cluster and per neuron). */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Writes a static report of an hmn store to --out (opens from disk, no network): the hierarchy,"
                + " a page per cluster (images, neuron group with support and lift, generalisation, difference"
                + " neurons) and per neuron (top images with activation maps, distribution, concepts).")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ExistingStoreOption storeDir;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where the report is written (new, empty, or an earlier report: its thumbnails are reused);"
                    + " default: DB.report, where 'hmn serve' looks for it.")
    Path out;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "The collection's directory (image ids are paths"
                    + " under it), for thumbnails and activation maps; without it images are placeholders.")
    Path images;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "The work directory (default: DB.work), whose"
                    + " activations/run.json names the model the maps are recomputed with.")
    Path work;

    @Option(
            names = "--clusters",
            split = ",",
            paramLabel = "ID",
            description = "Only these clusters' pages (and" + " their neurons'); default: all.")
    List<String> clusters = new ArrayList<>();

    @Option(
            names = "--images-per-cluster",
            defaultValue = "24",
            paramLabel = "N",
            description = "Thumbnails on a" + " cluster page (default: ${DEFAULT-VALUE}).")
    int imagesPerCluster;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "Where published model weights are cached"
                    + " (never downloaded here). Default: ~/.cache/hmn/models (or under $HMN_CACHE_DIR).")
    Path cacheDir;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        Path db = storeDir.require();
        if (imagesPerCluster < 1) {
            throw new BadInputException("--images-per-cluster must be >= 1, got " + imagesPerCluster);
        }
        if (images != null && !Files.isDirectory(images)) {
            throw new BadInputException("--images " + images + ": not a directory; give the collection's folder");
        }
        if (out == null) {
            out = db.resolveSibling(db.getFileName() + ".report");
        }
        ReportWriter.requireReportDir(out);
        Path workDir = work != null ? work : WorkDir.besideStore(db).root();
        PrintWriter stdout = spec.commandLine().getOut();
        try (Store store = Store.open(db)) {
            ReportPages pages = ReportPages.of(
                    store.db(),
                    images,
                    workDir,
                    out.resolve("t"),
                    cacheDir != null ? cacheDir : WeightsSource.defaultCacheDir(),
                    imagesPerCluster);
            try {
                ReportWriter.Summary s = ReportWriter.write(pages, out, clusters, !noProgress);
                stdout.printf(
                        Locale.ROOT,
                        "hmn: report written to %s in %.1f s: %d cluster pages, %d neuron pages,"
                                + " thumbnails %d written, %d reused, %d placeholders%n",
                        out.resolve("index.html"),
                        s.millis() / 1000.0,
                        s.clusterPages(),
                        s.neuronPages(),
                        s.thumbnailsWritten(),
                        s.thumbnailsReused(),
                        s.placeholders());
                for (var layer : pages.graph().layers()) {
                    String note = pages.heatmaps().note(layer.name());
                    if (note != null) {
                        stdout.println("  " + layer.name() + ": " + note);
                    }
                }
            } finally {
                pages.heatmaps().close();
            }
        }
        return Hmn.OK;
    }
}
