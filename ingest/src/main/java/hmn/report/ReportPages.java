package hmn.report;

import static hmn.report.Html.escape;

import hmn.report.ReportGraph.Cluster;
import hmn.report.ReportGraph.Layer;
import hmn.report.ReportGraph.Neuron;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report's pages as HTML, from a {@link ReportGraph}: the overview ({@code index.html}), one page per cluster
 * ({@code c/ID.html}) and per neuron ({@code n/LAYER-INDEX.html}), the search index ({@code assets/index.js}).
 * Links are relative, so the same pages work from disk and from {@code hmn serve}. All graph text is escaped.
 */
public final class ReportPages {
    public static final int TOP_IMAGES = 8;
    private static final int BINS = 30;

    private final ReportGraph graph;
    private final Thumbnails thumbnails;
    private final Heatmaps heatmaps;
    private final Map<String, Integer> groupSizes = new HashMap<>();

    public ReportPages(ReportGraph graph, Thumbnails thumbnails, Heatmaps heatmaps) {
        this.graph = graph;
        this.thumbnails = thumbnails;
        this.heatmaps = heatmaps;
    }

    /**
     * The pages of the graph in {@code db}: thumbnails of images under {@code images} (null: placeholders) written to
     * {@code thumbnails}, activation maps from the model of {@code work}'s {@code activations/run.json}.
     */
    public static ReportPages of(
            org.neo4j.graphdb.GraphDatabaseService db,
            Path images,
            Path work,
            Path thumbnails,
            Path weightsCache,
            int imagesPerCluster) {
        return new ReportPages(
                ReportGraph.read(db, imagesPerCluster),
                new Thumbnails(images, thumbnails),
                new Heatmaps(work.resolve("activations").resolve("run.json"), images, weightsCache));
    }

    public ReportGraph graph() {
        return graph;
    }

    public Thumbnails thumbnails() {
        return thumbnails;
    }

    public Heatmaps heatmaps() {
        return heatmaps;
    }

    /** A cluster page's path relative to the report's root. */
    public static String clusterPath(String id) {
        return "c/" + id.replaceAll("[^A-Za-z0-9_.-]", "_") + ".html";
    }

    /** A neuron page's path relative to the report's root. */
    public static String neuronPath(String layer, int neuron) {
        return "n/" + layer.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + neuron + ".html";
    }

    private static String head(String title, String up) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><link rel=\"stylesheet\" href=\"" + up + "assets/report.css\"></head><body>\n"
                + "<nav><a href=\"" + up + "index.html\">hmn report</a></nav>\n<main>\n";
    }

    private static String foot(String up) {
        return "</main>\n<script src=\"" + up + "assets/report.js\"></script>\n</body></html>\n";
    }

    /** Sets each cluster's group size per layer (neurons of its group), shown on the overview. */
    public void groupSizes(Map<String, Integer> sizes) {
        groupSizes.putAll(sizes);
    }

    /** The overview: the hierarchy level by level (an icicle), validity figures where stored, the search box. */
    public String overview() {
        StringBuilder h = new StringBuilder(head("hmn report", ""));
        h.append("<h1>hmn report</h1>\n<p class=\"meta\">")
                .append(graph.images())
                .append(" images, ")
                .append(graph.clusters().size())
                .append(" clusters; layers ");
        for (Layer l : graph.layers()) {
            h.append(escape(l.name())).append(" (").append(l.channels()).append(") ");
        }
        ReportGraph.Model m = graph.model();
        if (m != null) {
            h.append("; model ").append(escape(m.name())).append(", weights ").append(escape(m.weights()));
            if (Boolean.TRUE.equals(m.randomWeights())) {
                h.append(" <strong>(random weights)</strong>");
            }
        }
        h.append("</p>\n<div class=\"search\"><input id=\"search\" type=\"search\" placeholder=\"search clusters and"
                + " neurons (caption, L1-3, layer4:12)\" autocomplete=\"off\"><ul id=\"results\"></ul></div>\n");
        h.append("<script src=\"assets/index.js\"></script>\n<h2>Hierarchy</h2>\n<div class=\"icicle\">\n");
        List<Cluster> roots = graph.clusters().values().stream()
                .filter(c -> c.parent() == null)
                .toList();
        int top = graph.clusters().values().stream()
                .mapToInt(Cluster::level)
                .max()
                .orElse(0);
        List<List<Cluster>> rows = new ArrayList<>();
        for (int level = top; level >= 1; level--) {
            rows.add(new ArrayList<>());
        }
        for (Cluster root : roots) {
            walk(root, rows, top);
        }
        for (int i = 0; i < rows.size(); i++) {
            h.append("<div class=\"level\"><span class=\"level-name\">L")
                    .append(top - i)
                    .append("</span>");
            h.append("<div class=\"row\">");
            for (Cluster c : rows.get(i)) {
                Integer group = groupSizes.get(c.id());
                h.append("<a class=\"node\" style=\"flex:")
                        .append(Math.max(1, c.size()))
                        .append("\" href=\"")
                        .append(clusterPath(c.id()))
                        .append("\" title=\"")
                        .append(escape(c.id() + ": " + c.caption()))
                        .append("\"><b>")
                        .append(escape(c.caption()))
                        .append("</b><small>")
                        .append(escape(c.id()))
                        .append(" &middot; ")
                        .append(c.size())
                        .append(" img")
                        .append(group == null ? "" : " &middot; " + group + " neurons");
                c.validity().forEach((k, v) -> h.append(" &middot; ")
                        .append(escape(k))
                        .append(' ')
                        .append(fmt(v)));
                h.append("</small></a>");
            }
            h.append("</div></div>\n");
        }
        h.append("</div>\n");
        return h.append(foot("")).toString();
    }

    private void walk(Cluster c, List<List<Cluster>> rows, int top) {
        int row = top - c.level();
        if (row >= 0 && row < rows.size()) {
            rows.get(row).add(c);
        }
        for (String child : c.children()) {
            Cluster cc = graph.clusters().get(child);
            if (cc != null) {
                walk(cc, rows, top);
            }
        }
    }

    /** The search index: every cluster (id and caption) and every neuron with a page. */
    public String indexJs() {
        StringBuilder js = new StringBuilder("window.HMN_INDEX = [\n");
        for (Cluster c : graph.clusters().values()) {
            js.append("[")
                    .append(Html.jsString(c.id()))
                    .append(',')
                    .append(Html.jsString(c.caption()))
                    .append(',')
                    .append(Html.jsString(clusterPath(c.id())))
                    .append("],\n");
        }
        for (Layer l : graph.layers()) {
            for (int n = 0; n < l.channels(); n++) {
                js.append("[")
                        .append(Html.jsString(l.name() + ":" + n))
                        .append(",\"neuron\",")
                        .append(Html.jsString(neuronPath(l.name(), n)))
                        .append("],\n");
            }
        }
        return js.append("];\n").toString();
    }

    /** The page of cluster {@code id} (the paper's Figures 1 to 3), or null when there is no such cluster. */
    public String cluster(String id) {
        Cluster c = graph.clusters().get(id);
        if (c == null) {
            return null;
        }
        StringBuilder h = new StringBuilder(head(c.id() + ": " + c.caption(), "../"));
        h.append("<h1><span class=\"id\">")
                .append(escape(c.id()))
                .append("</span> <q class=\"caption\">")
                .append(escape(c.caption()))
                .append("</q></h1>\n<p class=\"meta\">level ")
                .append(c.level())
                .append(", ")
                .append(c.size())
                .append(" images");
        if (c.synthetic()) {
            h.append(", synthetic root");
        }
        h.append("</p>\n<p class=\"provenance\">caption: ");
        if (c.provenance().isEmpty()) {
            h.append("no provenance recorded");
        }
        c.provenance().forEach((k, v) -> h.append("<span>")
                .append(escape(k))
                .append(": ")
                .append(escape(String.valueOf(v)))
                .append("</span> "));
        h.append("</p>\n<p class=\"links\">");
        if (c.parent() != null) {
            Cluster p = graph.clusters().get(c.parent());
            h.append("parent: ").append(link(p, "../")).append(' ');
        }
        if (!c.children().isEmpty()) {
            h.append("children: ");
            for (String child : c.children()) {
                h.append(link(graph.clusters().get(child), "../")).append(' ');
            }
        }
        h.append("</p>\n");
        if (!c.validity().isEmpty()) {
            h.append("<p class=\"validity\">");
            c.validity().forEach((k, v) -> h.append("<span>")
                    .append(escape(k))
                    .append(' ')
                    .append(fmt(v))
                    .append("</span> "));
            h.append("</p>\n");
        }
        h.append("<h2>Images</h2>\n<div class=\"grid\">");
        for (String image : c.images()) {
            h.append(figure(image, null, null));
        }
        h.append("</div>\n");
        if (c.images().size() < c.size()) {
            h.append("<p class=\"meta\">the first ")
                    .append(c.images().size())
                    .append(" of ")
                    .append(c.size())
                    .append(" images, in collection order</p>\n");
        }
        Map<String, List<Neuron>> groups = new HashMap<>();
        h.append("<h2>Neuron group</h2>\n");
        for (Layer l : graph.layers()) {
            List<Neuron> group = graph.sharedNeurons(c.id(), l.name());
            groups.put(l.name(), group);
            h.append("<h3>")
                    .append(escape(l.name()))
                    .append(": ")
                    .append(group.size())
                    .append(" neurons</h3>\n");
            if (group.isEmpty()) {
                continue;
            }
            double maxLift = 1;
            for (Neuron n : group) {
                Double lift = graph.lift(l.name(), n.neuron(), n.support());
                maxLift = Math.max(maxLift, lift == null ? 0 : lift);
            }
            h.append("<table class=\"group\"><tr><th>neuron</th><th>support</th><th>lift (support / base rate)</th>"
                    + "</tr>\n");
            for (Neuron n : group) {
                Double lift = graph.lift(l.name(), n.neuron(), n.support());
                h.append("<tr><td><a href=\"../")
                        .append(neuronPath(l.name(), n.neuron()))
                        .append("\">")
                        .append(escape(l.name()))
                        .append(':')
                        .append(n.neuron())
                        .append("</a></td><td>")
                        .append(bar(n.support(), 1, "support"))
                        .append("</td><td>")
                        .append(lift == null ? "&ndash;" : bar(lift, maxLift, "lift"))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!c.children().isEmpty()) {
            h.append("<h2>Generalisation (Figure 2)</h2>\n<p>own caption: <q class=\"caption\">")
                    .append(escape(c.caption()))
                    .append("</q>; the neurons of each child's group that are in this"
                            + " cluster's group (the intersection) are marked.</p>\n");
            for (String child : c.children()) {
                Cluster cc = graph.clusters().get(child);
                h.append("<div class=\"child\">").append(link(cc, "../")).append(' ');
                for (Layer l : graph.layers()) {
                    Set<Integer> own = new HashSet<>();
                    groups.get(l.name()).forEach(n -> own.add(n.neuron()));
                    for (Neuron n : graph.sharedNeurons(child, l.name())) {
                        h.append(chip(l.name(), n.neuron(), own.contains(n.neuron())));
                    }
                }
                h.append("</div>\n");
            }
        }
        if (c.parent() != null) {
            Cluster p = graph.clusters().get(c.parent());
            h.append("<h2>Difference from its parent (Figure 3)</h2>\n<p>against ")
                    .append(link(p, "../"))
                    .append(": <q class=\"caption\">")
                    .append(escape(c.difference()))
                    .append("</q></p>\n<p>");
            int count = 0;
            for (Layer l : graph.layers()) {
                for (int n : graph.differenceNeurons(c.id(), l.name())) {
                    h.append(chip(l.name(), n, false));
                    count++;
                }
            }
            h.append(count == 0 ? "no difference neurons" : "").append("</p>\n");
        }
        return h.append(foot("../")).toString();
    }

    /** The page of neuron {@code neuron} of {@code layer}, or null when there is no such neuron. */
    public String neuron(String layerName, int neuron) {
        Layer layer = graph.layers().stream()
                .filter(l -> l.name().equals(layerName))
                .findFirst()
                .orElse(null);
        if (layer == null || neuron < 0 || neuron >= layer.channels()) {
            return null;
        }
        StringBuilder h = new StringBuilder(head(layer.name() + ":" + neuron, "../"));
        h.append("<h1>neuron <span class=\"id\">")
                .append(escape(layer.name()))
                .append(':')
                .append(neuron)
                .append("</span></h1>\n<p class=\"meta\">base rate ")
                .append(fmt(graph.baseRate(layer.name(), neuron)))
                .append(" (fraction of all images whose activated set holds it)");
        if (neuron > 0) {
            h.append(" &middot; <a href=\"../")
                    .append(neuronPath(layer.name(), neuron - 1))
                    .append("\">previous</a>");
        }
        if (neuron + 1 < layer.channels()) {
            h.append(" &middot; <a href=\"../")
                    .append(neuronPath(layer.name(), neuron + 1))
                    .append("\">next</a>");
        }
        h.append("</p>\n<h2>Top images</h2>\n");
        List<ReportGraph.TopImage> top = graph.topImages(layer.name(), neuron, TOP_IMAGES);
        String note = heatmaps.note(layer.name());
        Map<String, Heatmaps.Heatmap> maps = note == null
                ? heatmaps.maps(
                        layer.name(),
                        neuron,
                        top.stream().map(ReportGraph.TopImage::image).toList())
                : Map.of();
        if (note != null) {
            h.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
        }
        h.append("<div class=\"grid\">");
        for (ReportGraph.TopImage t : top) {
            h.append(figure(t.image(), maps.get(t.image()), "activation " + fmt(t.activation())));
        }
        h.append("</div>\n<h2>Activation over the collection</h2>\n")
                .append(histogram(graph.histograms(layer, BINS)[neuron], top));
        h.append("<h2>Concepts that use it</h2>\n");
        List<ReportGraph.Concept> concepts = graph.concepts(layer.name(), neuron);
        if (concepts.isEmpty()) {
            h.append("<p>no cluster's group holds this neuron</p>\n");
        } else {
            h.append("<table class=\"group\"><tr><th>cluster</th><th>level</th><th>support</th></tr>\n");
            for (ReportGraph.Concept c : concepts) {
                h.append("<tr><td>")
                        .append(link(graph.clusters().get(c.cluster()), "../"))
                        .append("</td><td>")
                        .append(c.level())
                        .append("</td><td>")
                        .append(bar(c.support(), 1, "support"))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append(foot("../")).toString();
    }

    private String figure(String image, Heatmaps.Heatmap map, String caption) {
        Thumbnails.Thumbnail t = thumbnails.thumbnail(image);
        Path source = thumbnails.source(image);
        StringBuilder h = new StringBuilder("<figure class=\"thumb\"><a href=\"");
        h.append(
                        source == null
                                ? "../" + t.path()
                                : escape(source.toAbsolutePath().toUri().toString()))
                .append("\"><span class=\"frame\"><img src=\"../")
                .append(t.path())
                .append("\" alt=\"")
                .append(escape(image))
                .append("\" loading=\"lazy\">");
        if (map != null && t.outcome() != Thumbnails.Outcome.PLACEHOLDER) {
            float max = 0;
            for (float v : map.values()) {
                max = Math.max(max, v);
            }
            byte[] bytes = new byte[map.values().length];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Math.round(255 * Math.max(0, map.values()[i]) / Math.max(max, 1e-12f));
            }
            h.append(String.format(
                    Locale.ROOT,
                    "<canvas class=\"heat\" width=\"%d\" height=\"%d\" data-v=\"%s\""
                            + " style=\"left:%.2f%%;top:%.2f%%;width:%.2f%%;height:%.2f%%\"></canvas>",
                    map.width(),
                    map.height(),
                    HexFormat.of().formatHex(bytes),
                    100 * map.left(),
                    100 * map.top(),
                    100 * map.cropWidth(),
                    100 * map.cropHeight()));
        }
        h.append("</span></a><figcaption>").append(escape(image));
        if (caption != null) {
            h.append("<br>").append(escape(caption));
        }
        return h.append("</figcaption></figure>").toString();
    }

    private static String histogram(float[] hist, List<ReportGraph.TopImage> top) {
        int bins = hist.length - 2;
        float max = 1;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, hist[2 + i]);
        }
        StringBuilder s = new StringBuilder("<svg class=\"histogram\" viewBox=\"0 0 600 160\" role=\"img\">");
        double w = 600.0 / bins;
        for (int i = 0; i < bins; i++) {
            double bh = 140 * hist[2 + i] / max;
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">" + "<title>%d images</title></rect>",
                    i * w + 1,
                    140 - bh,
                    w - 2,
                    bh,
                    (int) hist[2 + i]));
        }
        for (ReportGraph.TopImage t : top) {
            double x = hist[1] > hist[0] ? 600 * (t.activation() - hist[0]) / (hist[1] - hist[0]) : 0;
            s.append(String.format(
                    Locale.ROOT, "<line class=\"top\" x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"140\"/>", x, x));
        }
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"0\" y=\"156\">%s</text><text x=\"600\" y=\"156\"" + " text-anchor=\"end\">%s</text></svg>",
                fmt(hist[0]),
                fmt(hist[1])));
        return s.append("\n<p class=\"meta\">channel mean over every image; the lines mark the top images</p>\n")
                .toString();
    }

    private static String link(Cluster c, String up) {
        if (c == null) {
            return "";
        }
        return "<a class=\"cluster\" href=\"" + up + clusterPath(c.id()) + "\" title=\"" + escape(c.caption()) + "\">"
                + escape(c.id()) + " <q>" + escape(c.caption()) + "</q></a>";
    }

    private static String chip(String layer, int neuron, boolean marked) {
        return "<a class=\"chip" + (marked ? " shared" : "") + "\" href=\"../" + neuronPath(layer, neuron) + "\">"
                + escape(layer) + ":" + neuron + "</a>";
    }

    private static String bar(double value, double max, String kind) {
        double pct = max <= 0 ? 0 : Math.max(0, Math.min(100, 100 * value / max));
        return String.format(
                Locale.ROOT,
                "<span class=\"bar %s\"><span style=\"width:%.1f%%\"></span></span>" + " <span class=\"num\">%s</span>",
                kind,
                pct,
                fmt(value));
    }

    static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
