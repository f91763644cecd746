package hmn.report;

import hmn.serve.web.ReportSite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * The report as {@code hmn serve} serves it: the files of a report written earlier by {@code hmn report} when there
 * is one, and any page it lacks rendered on demand from the live graph (the overview, a cluster's or a neuron's page,
 * the search index, the style sheet and script). Thumbnails of on-demand pages are written to the report's {@code t/}
 * (reused by a later {@code hmn report}) or, without a written report, to a temporary directory removed on close.
 */
public final class ReportServer implements ReportSite, AutoCloseable {
    private final GraphDatabaseService db;
    private final Path dir;
    private final Path images;
    private final Path work;
    private final Path weightsCache;
    private final int imagesPerCluster;
    private final boolean written;
    private Path thumbnails;
    private boolean temporaryThumbnails;
    private ReportPages pages;
    private Map<String, String> clusterFiles;

    /**
     * @param dir the report directory ({@code hmn report --out}); used only when it holds a report
     * @param images the collection's directory, or null for placeholders
     * @param work the work directory whose {@code activations/run.json} names the model of the activation maps
     */
    public ReportServer(
            GraphDatabaseService db, Path dir, Path images, Path work, Path weightsCache, int imagesPerCluster) {
        this.db = db;
        this.dir = dir.toAbsolutePath().normalize();
        this.images = images;
        this.work = work;
        this.weightsCache = weightsCache;
        this.imagesPerCluster = imagesPerCluster;
        this.written = Files.isRegularFile(this.dir.resolve(ReportWriter.MARKER));
    }

    /** Whether a report written by {@code hmn report} is served (else every page is rendered on demand). */
    public boolean written() {
        return written;
    }

    public Path dir() {
        return dir;
    }

    /** Reads what the pages need from the graph now (the hierarchy, base rates) rather than on the first request. */
    public synchronized ReportPages pages() {
        if (pages == null) {
            try {
                if (written) {
                    thumbnails = dir.resolve("t");
                } else {
                    thumbnails = Files.createTempDirectory("hmn-report-").resolve("t");
                    temporaryThumbnails = true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for the report's thumbnails", e);
            }
            ReportPages p = ReportPages.of(db, images, work, thumbnails, weightsCache, imagesPerCluster);
            Map<String, String> files = new HashMap<>();
            p.graph().clusters().keySet().forEach(id -> files.put(ReportPages.clusterPath(id), id));
            clusterFiles = files;
            pages = p;
        }
        return pages;
    }

    @Override
    public Page page(String path) throws IOException {
        if (written) {
            Path file = dir.resolve(path).normalize();
            if (file.startsWith(dir) && Files.isRegularFile(file) && !path.startsWith(".")) {
                return new Page(Files.readAllBytes(file), type(path));
            }
        }
        return render(path);
    }

    private synchronized Page render(String path) throws IOException {
        ReportPages p = pages();
        if (path.startsWith("t/")) {
            Path file = thumbnails.resolve(path.substring(2)).normalize();
            return file.startsWith(thumbnails) && Files.isRegularFile(file)
                    ? new Page(Files.readAllBytes(file), type(path))
                    : null;
        }
        String text = null;
        if (path.equals("index.html")) {
            text = p.overview();
        } else if (path.equals("assets/index.js")) {
            text = p.indexJs();
        } else if (path.startsWith("assets/") && ReportWriter.ASSETS.contains(path.substring(7))) {
            return new Page(ReportWriter.asset(path.substring(7)), type(path));
        } else if (clusterFiles.containsKey(path)) {
            text = p.cluster(clusterFiles.get(path));
        } else if (path.startsWith("n/") && path.endsWith(".html")) {
            String name = path.substring(2, path.length() - 5);
            int dash = name.lastIndexOf('-');
            if (dash > 0 && name.substring(dash + 1).matches("[0-9]{1,6}")) {
                String layer = name.substring(0, dash);
                int neuron = Integer.parseInt(name.substring(dash + 1));
                if (ReportPages.neuronPath(layer, neuron).equals(path)) {
                    text = p.neuron(layer, neuron);
                }
            }
        }
        return text == null ? null : new Page(text.getBytes(StandardCharsets.UTF_8), type(path));
    }

    static String type(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        if (p.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (p.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (p.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (p.endsWith(".jpg") || p.endsWith(".jpeg")) {
            return "image/jpeg";
        } else if (p.endsWith(".png")) {
            return "image/png";
        } else if (p.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

    @Override
    public synchronized void close() {
        if (pages != null) {
            pages.heatmaps().close();
        }
        if (temporaryThumbnails) {
            try (Stream<Path> files = Files.walk(thumbnails.getParent())) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }
}
