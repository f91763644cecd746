package hmn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmn.cli.shared.ExistingStoreOption;
import hmn.core.BadInputException;
import hmn.export.Column;
import hmn.export.GraphTables;
import hmn.graph.StoreSwap;
import hmn.io.FileTrees;
import hmn.server.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.locker.FileLockException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn export}: the graph's tables as Parquet files, for notebooks (pandas, DuckDB, Spark) that should not need
 * a Neo4j driver. The store is opened read-only; the files are written beside {@code --out} and moved into place
 * when all are complete, so an interrupted export leaves no half-written directory.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Writes an hmn store's tables as Parquet files to --out (images, clusters, neurons, groups,"
                + " difference_sets, activations; columns in cypher/SCHEMA.md), readable as they are by pandas,"
                + " pyarrow, DuckDB and Spark. The store is opened read-only.")
public final class ExportCommand implements Callable<Integer> {
    /** Written last into the output directory; marks it as an hmn export that {@code --force} may replace. */
    public static final String MANIFEST = "hmn-export.json";

    private static final List<String> FORMATS = List.of("parquet");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ExistingStoreOption storeDir;

    @Option(
            names = "--format",
            defaultValue = "parquet",
            paramLabel = "FORMAT",
            description = "The file format; parquet is the only one (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "The directory to write: new or empty, or an earlier export with --force.")
    Path out;

    @Option(names = "--force", description = "Replace an earlier 'hmn export' at --out (never any other directory).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Path db = storeDir.require();
        if (!FORMATS.contains(format)) {
            throw new BadInputException("--format " + format + ": unknown format; use --format parquet");
        }
        requireWritable(out, force);
        long start = System.nanoTime();
        Path fresh = StoreSwap.freshSibling(out);
        List<GraphTables.Written> written;
        try {
            try (Store store = openReadOnly(db);
                    Transaction tx = store.db().beginTx()) {
                written = new GraphTables(tx).writeAll(fresh);
                writeManifest(fresh.resolve(MANIFEST), db, generation(tx), written);
            }
            StoreSwap.swap(fresh, out);
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(fresh);
            throw e;
        }
        print(spec.commandLine().getOut(), written, (System.nanoTime() - start) / 1e9);
        return Hmn.OK;
    }

    /** The store, read-only; a store another process holds (e.g. {@code hmn serve}) is bad input. */
    private static Store openReadOnly(Path db) {
        try {
            return Store.openReadOnly(db);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof FileLockException) {
                    throw new BadInputException("--db " + db + ": is in use by another process (e.g. 'hmn serve');"
                            + " stop it first, or export a copy of the store");
                }
            }
            throw e;
        }
    }

    /** {@code --out} must be absent, an empty directory, or (with {@code --force}) an earlier export. */
    static void requireWritable(Path out, boolean force) throws IOException {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new BadInputException("--out " + out + ": is a file, not a directory; choose a new directory");
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(out)) {
            empty = entries.findAny().isEmpty();
        }
        if (empty) {
            return;
        }
        boolean earlierExport = Files.isRegularFile(out.resolve(MANIFEST));
        if (!force) {
            throw new BadInputException("--out " + out + ": is not empty; choose a new or empty directory"
                    + (earlierExport ? ", or add --force to replace the earlier export there" : ""));
        }
        if (!earlierExport) {
            throw new BadInputException("--out " + out + ": is not empty and holds no earlier export (no " + MANIFEST
                    + "); --force replaces only an export, so choose a new or empty directory");
        }
    }

    private static String generation(Transaction tx) {
        try (Result r = tx.execute("MATCH (m:HmnMeta) RETURN m.generation AS generation")) {
            return r.hasNext() ? String.valueOf(r.next().get("generation")) : null;
        }
    }

    private static void writeManifest(Path file, Path db, String generation, List<GraphTables.Written> written)
            throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "parquet");
        manifest.put("store", db.toAbsolutePath().normalize().toString());
        manifest.put("generation", generation);
        manifest.put("exportedAt", Instant.now().toString());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (GraphTables.Written table : written) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", table.name());
            t.put("file", table.file().getFileName().toString());
            t.put("rows", table.rows());
            List<Map<String, Object>> columns = new ArrayList<>();
            for (Column c : table.columns()) {
                columns.add(Map.of(
                        "name", c.name(), "type", c.kind().name().toLowerCase(Locale.ROOT), "nullable", c.nullable()));
            }
            t.put("columns", columns);
            tables.add(t);
        }
        manifest.put("tables", tables);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), manifest);
    }

    private void print(PrintWriter w, List<GraphTables.Written> written, double seconds) throws IOException {
        w.printf(Locale.ROOT, "%-24s %10s %12s %8s%n", "table", "rows", "bytes", "seconds");
        for (GraphTables.Written table : written) {
            Path file = out.resolve(table.file().getFileName());
            w.printf(
                    Locale.ROOT,
                    "%-24s %10d %12d %8.2f%n",
                    file.getFileName(),
                    table.rows(),
                    Files.size(file),
                    table.seconds());
        }
        w.printf(
                Locale.ROOT,
                "exported to %s in %.1f s, store opened and closed included (columns in %s)%n",
                out,
                seconds,
                MANIFEST);
    }
}
