package hmn.cli.shared;

import hmn.graph.GraphImport;
import java.io.PrintWriter;
import java.util.Locale;

/** The summary that {@code hmn ingest}, {@code hmn demo} and {@code hmn bench graph} print after an import. */
public final class ImportSummary {
    private ImportSummary() {}

    public static void print(PrintWriter out, GraphImport.Result r) {
        var s = r.summary();
        out.printf(Locale.ROOT, "ingested %,d images into %s (generation %s)%n", s.images(), r.store(), s.generation());
        out.printf(
                Locale.ROOT,
                "  levels %d, clusters %,d, neurons %,d, ACTIVATES %,d, CONTAINS %,d, captions %,d%n",
                s.levels(),
                s.clusters(),
                s.neurons(),
                s.activates(),
                s.contains(),
                s.captions());
        if (!s.materialize().isEmpty()) {
            out.println("  materialised: " + new java.util.TreeMap<>(s.materialize()));
        }
        out.printf(
                Locale.ROOT,
                "  time: read+check %.1f s, label %.1f s, write %.1f s, schema %.1f s,"
                        + " materialise %.1f s, total %.1f s%n",
                r.readMillis() / 1e3,
                r.labelMillis() / 1e3,
                s.writeMillis() / 1e3,
                s.schemaMillis() / 1e3,
                s.materializeMillis() / 1e3,
                r.totalMillis() / 1e3);
        out.flush();
    }
}
