package hmn.report;

import hmn.core.BadInputException;
import hmn.progress.ProgressBars;
import hmn.report.ReportGraph.Cluster;
import hmn.report.ReportGraph.Layer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;

/**
 * Writes the static report: {@code index.html}, {@code c/}, {@code n/}, {@code t/} (thumbnails), {@code assets/} and
 * the marker file {@link #MARKER}. A directory that is not empty and lacks the marker is refused.
 */
public final class ReportWriter {
    /** The file that marks a directory as an hmn report (so a rerun may write into it). */
    public static final String MARKER = ".hmn-report";

    static final List<String> ASSETS = List.of("report.css", "report.js");

    private ReportWriter() {}

    /** What a run wrote. */
    public record Summary(
            int clusterPages,
            int neuronPages,
            int thumbnailsWritten,
            int thumbnailsReused,
            int placeholders,
            long millis) {}

    /** Refuses {@code out} when it is an existing directory (or file) that is not empty and not a report. */
    public static void requireReportDir(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("--out " + out + " is a file; give a directory for the report");
        }
        if (Files.isDirectory(out) && !Files.exists(out.resolve(MARKER))) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new BadInputException("--out " + out + " is a non-empty directory that is not an hmn report"
                            + " (no " + MARKER + "); give an empty or new directory");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + out, e);
            }
        }
    }

    /** Copies the style sheet and script from the class path into {@code assets}. */
    public static void writeAssets(Path assets) throws IOException {
        Files.createDirectories(assets);
        for (String a : ASSETS) {
            Files.write(assets.resolve(a), asset(a));
        }
    }

    /** One of the report's static files ({@code report.css}, {@code report.js}). */
    public static byte[] asset(String name) throws IOException {
        try (InputStream in = ReportWriter.class.getResourceAsStream("/hmn/report/" + name)) {
            if (in == null) {
                throw new IllegalStateException("/hmn/report/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    /**
     * Writes the report of {@code pages} to {@code out}: every cluster (or only {@code clusters} when not empty,
     * with the neurons their groups use) and every neuron.
     */
    public static Summary write(ReportPages pages, Path out, List<String> clusters, boolean progress)
            throws IOException {
        long start = System.nanoTime();
        requireReportDir(out);
        Files.createDirectories(out);
        Files.writeString(out.resolve(MARKER), "hmn report\n", StandardCharsets.UTF_8);
        ReportGraph graph = pages.graph();
        for (String id : clusters) {
            if (!graph.clusters().containsKey(id)) {
                throw new BadInputException("--clusters: no cluster '" + id + "' in the graph; ids look like L1-0");
            }
        }
        List<Cluster> chosen = clusters.isEmpty()
                ? List.copyOf(graph.clusters().values())
                : clusters.stream().map(graph.clusters()::get).toList();
        graph.readGroups();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        Map<String, Set<Integer>> neurons = new LinkedHashMap<>();
        for (Layer l : graph.layers()) {
            neurons.put(l.name(), new LinkedHashSet<>());
        }
        for (Cluster c : graph.clusters().values()) {
            int size = 0;
            for (Layer l : graph.layers()) {
                List<ReportGraph.Neuron> group = graph.sharedNeurons(c.id(), l.name());
                size += group.size();
                if (clusters.isEmpty() || clusters.contains(c.id())) {
                    group.forEach(n -> neurons.get(l.name()).add(n.neuron()));
                }
            }
            sizes.put(c.id(), size);
        }
        if (clusters.isEmpty()) {
            for (Layer l : graph.layers()) {
                for (int n = 0; n < l.channels(); n++) {
                    neurons.get(l.name()).add(n);
                }
            }
        }
        pages.groupSizes(sizes);
        writeAssets(out.resolve("assets"));
        write(out.resolve("assets/index.js"), pages.indexJs());
        write(out.resolve("index.html"), pages.overview());
        int neuronCount = neurons.values().stream().mapToInt(Set::size).sum();
        ProgressBar bar = ProgressBars.optional(progress, "report", chosen.size() + 2L * neuronCount, "page");
        try {
            for (Cluster c : chosen) {
                write(out.resolve(ReportPages.clusterPath(c.id())), pages.cluster(c.id()));
                ProgressBars.step(bar, 1);
            }
            // the maps of every neuron's top images, one forward pass per image and layer
            for (Layer l : graph.layers()) {
                if (pages.heatmaps().note(l.name()) != null) {
                    ProgressBars.step(bar, neurons.get(l.name()).size());
                    continue;
                }
                Map<String, Set<Integer>> byImage = new LinkedHashMap<>();
                for (int n : neurons.get(l.name())) {
                    for (ReportGraph.TopImage t : graph.topImages(l.name(), n, ReportPages.TOP_IMAGES)) {
                        byImage.computeIfAbsent(t.image(), k -> new LinkedHashSet<>())
                                .add(n);
                    }
                }
                List<String> images = new ArrayList<>(byImage.keySet());
                for (int from = 0; from < images.size(); from += 64) {
                    Map<String, Set<Integer>> part = new LinkedHashMap<>();
                    images.subList(from, Math.min(images.size(), from + 64)).forEach(i -> part.put(i, byImage.get(i)));
                    pages.heatmaps().compute(l.name(), part);
                }
                ProgressBars.step(bar, neurons.get(l.name()).size());
            }
            for (Layer l : graph.layers()) {
                for (int n : neurons.get(l.name())) {
                    write(out.resolve(ReportPages.neuronPath(l.name(), n)), pages.neuron(l.name(), n));
                    ProgressBars.step(bar, 1);
                }
            }
        } finally {
            ProgressBars.close(bar);
        }
        Thumbnails.Counts counts = pages.thumbnails().counts();
        return new Summary(
                chosen.size(),
                neuronCount,
                counts.written(),
                counts.reused(),
                counts.placeholders(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
