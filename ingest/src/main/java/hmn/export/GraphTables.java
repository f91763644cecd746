package hmn.export;

import static hmn.export.Column.Kind.BOOLEAN;
import static hmn.export.Column.Kind.DOUBLE;
import static hmn.export.Column.Kind.FLOAT_LIST;
import static hmn.export.Column.Kind.INT32;
import static hmn.export.Column.Kind.INT64;
import static hmn.export.Column.Kind.STRING;
import static hmn.export.Column.nullable;
import static hmn.export.Column.required;

import hmn.schema.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

/**
 * The hmn graph as flat tables, one Parquet file each, for data-frame users (the columns are documented in
 * cypher/SCHEMA.md, "Exported tables"). Every value is read from the graph as stored: the groups are the materialised
 * USES edges, the difference sets the INCLUDES edges; only the difference neurons' contrast and p, which the graph
 * does not store per neuron, come from {@code hmn.cluster.differenceNeurons} with the config each layer's edges were
 * materialised with. Reads only, in the caller's transaction.
 */
public final class GraphTables {
    /** The tables, in the order they are written; each is the file {@code <name>.parquet}. */
    public static final List<String> NAMES =
            List.of("images", "clusters", "neurons", "groups", "difference_sets", "activations");

    /** The validity figures {@code hmn validate} stores per layer on Cluster and DifferenceSet nodes. */
    private static final List<String> VALIDITY_FIGURES = List.of("ablationEffect_", "ablationZ_", "specificity_");

    private static final String ABLATION_RUN = "ablationRun_";

    private final Transaction tx;
    private final List<LayerInfo> layers;

    /** A Layer node: its name, the Image property of its activations, and the config of its materialised edges. */
    private record LayerInfo(String name, String property, Map<String, Object> groupConfig) {}

    /** One table written: its name, file, columns, row count and the seconds it took (reading included). */
    public record Written(String name, Path file, List<Column> columns, long rows, double seconds) {}

    public GraphTables(Transaction tx) {
        this.tx = tx;
        this.layers = layers(tx);
    }

    /** Writes every table into {@code dir} (which must exist), in {@link #NAMES} order. */
    public List<Written> writeAll(Path dir) throws IOException {
        List<Written> written = new ArrayList<>();
        written.add(timed(() -> images(dir.resolve("images.parquet"))));
        written.add(timed(() -> clusters(dir.resolve("clusters.parquet"))));
        written.add(timed(() -> neurons(dir.resolve("neurons.parquet"))));
        written.add(timed(() -> groups(dir.resolve("groups.parquet"))));
        written.add(timed(() -> differenceSets(dir.resolve("difference_sets.parquet"))));
        written.add(timed(() -> activations(dir.resolve("activations.parquet"))));
        return written;
    }

    private interface TableWrite {
        Written write() throws IOException;
    }

    private static Written timed(TableWrite table) throws IOException {
        long start = System.nanoTime();
        Written w = table.write();
        return new Written(w.name(), w.file(), w.columns(), w.rows(), (System.nanoTime() - start) / 1e9);
    }

    /** One row per image: id, row, caption, skipped, and its cluster at every level ({@code level_1}, ...). */
    Written images(Path file) throws IOException {
        Map<String, String> parentOf = new HashMap<>();
        Map<String, Integer> levelOf = new HashMap<>();
        int levels = 0;
        try (Result r = tx.execute("MATCH (c:Cluster) OPTIONAL MATCH (p:Cluster)-[:CONTAINS]->(c)"
                + " RETURN c.id AS id, c.level AS level, p.id AS parent")) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                int level = intOf(row.get("level"));
                levelOf.put((String) row.get("id"), level);
                parentOf.put((String) row.get("id"), (String) row.get("parent"));
                levels = Math.max(levels, level);
            }
        }
        List<Column> columns = new ArrayList<>(List.of(
                required("id", STRING),
                required("row", INT64),
                nullable("caption", STRING),
                nullable("skipped", STRING)));
        for (int level = 1; level <= levels; level++) {
            columns.add(nullable("level_" + level, STRING));
        }
        try (ParquetTableWriter out = ParquetTableWriter.create(file, "images", columns);
                Result r = tx.execute("MATCH (i:Image) OPTIONAL MATCH (c:Cluster {level: 1})-[:CONTAINS]->(i)"
                        + " RETURN i.id AS id, i.row AS row, i.caption AS caption, i.skipped AS skipped,"
                        + " c.id AS cluster ORDER BY i.row, i.id")) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                Object[] values = new Object[columns.size()];
                values[0] = row.get("id");
                values[1] = longOf(row.get("row"));
                values[2] = row.get("caption");
                values[3] = row.get("skipped");
                for (String c = (String) row.get("cluster"); c != null; c = parentOf.get(c)) {
                    values[3 + levelOf.get(c)] = c;
                }
                out.write(values);
            }
            return new Written("images", file, columns, out.rows(), 0);
        }
    }

    /**
     * One row per cluster: id, level, label, size (images), caption with its source and model, synthetic, parent,
     * the description of its difference set, and the validity figures {@code hmn validate} stored, if any.
     */
    Written clusters(Path file) throws IOException {
        List<Column> columns = new ArrayList<>(List.of(
                required("id", STRING),
                required("level", INT32),
                nullable("label", INT64),
                nullable("size", INT64),
                nullable("caption", STRING),
                nullable("captionSource", STRING),
                nullable("captionModel", STRING),
                nullable("synthetic", BOOLEAN),
                nullable("parent", STRING),
                nullable("difference", STRING)));
        int fixed = columns.size();
        List<Column> validity = validityColumns(Schema.CLUSTER);
        columns.addAll(validity);
        try (ParquetTableWriter out = ParquetTableWriter.create(file, "clusters", columns);
                Result r = tx.execute("MATCH (c:Cluster)"
                        + " OPTIONAL MATCH (p:Cluster)-[:CONTAINS]->(c)"
                        + " OPTIONAL MATCH (c)-[:HAS_CAPTION]->(k:Caption)"
                        + " OPTIONAL MATCH (c)-[:DIFFERS_BY]->(d:DifferenceSet)"
                        + " RETURN c AS node, p.id AS parent, k.source AS source, k.model AS model,"
                        + " d.description AS difference ORDER BY c.level, c.label, c.id")) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                org.neo4j.graphdb.Node c = (org.neo4j.graphdb.Node) row.get("node");
                Object[] values = new Object[columns.size()];
                values[0] = c.getProperty(Schema.Key.ID);
                values[1] = intOf(c.getProperty(Schema.Key.LEVEL));
                values[2] = longOrNull(c.getProperty("label", null));
                values[3] = longOrNull(c.getProperty(Schema.Key.SIZE, null));
                values[4] = c.getProperty(Schema.Key.CAPTION, null);
                values[5] = row.get("source");
                values[6] = row.get("model");
                values[7] = c.getProperty("synthetic", null);
                values[8] = row.get("parent");
                values[9] = row.get("difference");
                fillValidity(c, validity, values, fixed);
                out.write(values);
            }
            return new Written("clusters", file, columns, out.rows(), 0);
        }
    }

    /** One row per neuron: id ({@code layer:index}), layer, neuron (the channel index). */
    Written neurons(Path file) throws IOException {
        List<Column> columns = List.of(required("id", STRING), required("layer", STRING), required("neuron", INT32));
        try (ParquetTableWriter out = ParquetTableWriter.create(file, "neurons", columns);
                Result r = tx.execute("MATCH (n:Neuron) RETURN n.id AS id, n.layer AS layer, n.index AS neuron"
                        + " ORDER BY n.layer, n.index")) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                out.write(row.get("id"), row.get("layer"), intOf(row.get("neuron")));
            }
            return new Written("neurons", file, columns, out.rows(), 0);
        }
    }

    /** One row per USES edge: the cluster's neuron group with the edge's statistics. */
    Written groups(Path file) throws IOException {
        List<Column> columns = List.of(
                required("cluster", STRING),
                required("layer", STRING),
                required("neuron", INT32),
                nullable("support", DOUBLE),
                nullable("baseRate", DOUBLE),
                nullable("lift", DOUBLE),
                nullable("p", DOUBLE),
                nullable("q", DOUBLE));
        try (ParquetTableWriter out = ParquetTableWriter.create(file, "groups", columns);
                Result r = tx.execute("MATCH (c:Cluster)-[u:USES]->(n:Neuron)"
                        + " RETURN c.id AS cluster, n.layer AS layer, n.index AS neuron, u.support AS support,"
                        + " u.baseRate AS baseRate, u.lift AS lift, u.p AS p, u.q AS q"
                        + " ORDER BY c.level, c.label, c.id, n.layer, n.index")) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                out.write(
                        row.get("cluster"),
                        row.get("layer"),
                        intOf(row.get("neuron")),
                        doubleOrNull(row.get("support")),
                        doubleOrNull(row.get("baseRate")),
                        doubleOrNull(row.get("lift")),
                        doubleOrNull(row.get("p")),
                        doubleOrNull(row.get("q")));
            }
            return new Written("groups", file, columns, out.rows(), 0);
        }
    }

    /**
     * One row per INCLUDES edge: the child's difference neurons beyond its parent, with their contrast and p (from
     * {@code hmn.cluster.differenceNeurons} at the layer's materialised config), the set's description and the
     * validity figures {@code hmn validate} stored on the DifferenceSet, if any.
     */
    Written differenceSets(Path file) throws IOException {
        Map<String, double[]> statistics = differenceStatistics();
        List<Column> columns = new ArrayList<>(List.of(
                required("child", STRING),
                nullable("parent", STRING),
                required("layer", STRING),
                required("neuron", INT32),
                nullable("contrast", DOUBLE),
                nullable("p", DOUBLE),
                nullable("description", STRING)));
        int fixed = columns.size();
        List<Column> validity = validityColumns(Schema.DIFFERENCE_SET);
        columns.addAll(validity);
        try (ParquetTableWriter out = ParquetTableWriter.create(file, "difference_sets", columns);
                Result r = tx.execute("MATCH (c:Cluster)-[:DIFFERS_BY]->(d:DifferenceSet)-[:INCLUDES]->(n:Neuron)"
                        + " RETURN d AS set, n.layer AS layer, n.index AS neuron"
                        + " ORDER BY c.level, c.label, c.id, n.layer, n.index")) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                org.neo4j.graphdb.Node d = (org.neo4j.graphdb.Node) row.get("set");
                String child = (String) d.getProperty(Schema.Key.CHILD, d.getProperty(Schema.Key.ID));
                String layer = (String) row.get("layer");
                int neuron = intOf(row.get("neuron"));
                double[] stats = statistics.get(child + "|" + layer + "|" + neuron);
                Object[] values = new Object[columns.size()];
                values[0] = child;
                values[1] = d.getProperty(Schema.Key.PARENT, null);
                values[2] = layer;
                values[3] = neuron;
                values[4] = stats == null || Double.isNaN(stats[0]) ? null : stats[0];
                values[5] = stats == null ? null : stats[1];
                values[6] = d.getProperty(Schema.Key.DESCRIPTION, null);
                fillValidity(d, validity, values, fixed);
                out.write(values);
            }
            return new Written("difference_sets", file, columns, out.rows(), 0);
        }
    }

    /** One row per image and layer with an activation vector: image, layer, values (channel spatial means). */
    Written activations(Path file) throws IOException {
        List<Column> columns =
                List.of(required("image", STRING), required("layer", STRING), required("values", FLOAT_LIST));
        try (ParquetTableWriter out = ParquetTableWriter.create(file, "activations", columns)) {
            for (LayerInfo layer : layers) {
                try (Result r = tx.execute(
                        "MATCH (i:Image) WHERE i[$property] IS NOT NULL"
                                + " RETURN i.id AS image, i[$property] AS values ORDER BY i.row, i.id",
                        Map.of("property", layer.property()))) {
                    while (r.hasNext()) {
                        Map<String, Object> row = r.next();
                        out.write(row.get("image"), layer.name(), floats(row.get("values")));
                    }
                }
            }
            return new Written("activations", file, columns, out.rows(), 0);
        }
    }

    /** contrast and p of every difference neuron, keyed {@code child|layer|neuron}; contrast NaN where null. */
    private Map<String, double[]> differenceStatistics() {
        Map<String, double[]> statistics = new HashMap<>();
        for (LayerInfo layer : layers) {
            if (layer.groupConfig() == null) {
                continue; // no materialised edges in this layer
            }
            try (Result r = tx.execute(
                    "MATCH (c:Cluster)-[:DIFFERS_BY]->(:DifferenceSet)"
                            + " CALL hmn.cluster.differenceNeurons(c, $config) YIELD neuron, contrast, p"
                            + " RETURN c.id AS child, neuron, contrast, p",
                    Map.of("config", layer.groupConfig()))) {
                while (r.hasNext()) {
                    Map<String, Object> row = r.next();
                    Object contrast = row.get("contrast");
                    statistics.put(
                            row.get("child") + "|" + layer.name() + "|" + intOf(row.get("neuron")), new double[] {
                                contrast == null ? Double.NaN : ((Number) contrast).doubleValue(),
                                ((Number) row.get("p")).doubleValue()
                            });
                }
            }
        }
        return statistics;
    }

    /** The validity columns that some node of {@code label} has, layer by layer, in a fixed order. */
    private List<Column> validityColumns(String label) {
        List<Column> columns = new ArrayList<>();
        for (LayerInfo layer : layers) {
            for (String figure : VALIDITY_FIGURES) {
                if (anyHas(label, figure + layer.name())) {
                    columns.add(nullable(figure + layer.name(), DOUBLE));
                }
            }
            if (anyHas(label, ABLATION_RUN + layer.name())) {
                columns.add(nullable(ABLATION_RUN + layer.name(), STRING));
            }
        }
        return columns;
    }

    private boolean anyHas(String label, String property) {
        try (Result r = tx.execute(
                "MATCH (n:" + label + ") WHERE n[$property] IS NOT NULL RETURN count(*) > 0 AS any",
                Map.of("property", property))) {
            return (Boolean) r.next().get("any");
        }
    }

    private static void fillValidity(org.neo4j.graphdb.Node node, List<Column> validity, Object[] values, int from) {
        for (int i = 0; i < validity.size(); i++) {
            Column column = validity.get(i);
            Object value = node.getProperty(column.name(), null);
            values[from + i] = value == null ? null : column.kind() == DOUBLE ? doubleOrNull(value) : value.toString();
        }
    }

    /**
     * The Layer nodes, each with the config its USES and INCLUDES edges were written with: the one on the Layer node
     * ({@code hmn.materialize} records it there), else HmnMeta's for the layers it lists (the import's); null when
     * the layer has no materialised edges.
     */
    private static List<LayerInfo> layers(Transaction tx) {
        Map<String, Object> meta = Map.of();
        try (Result r = tx.execute("MATCH (m:HmnMeta) RETURN properties(m) AS meta")) {
            if (r.hasNext()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> properties = (Map<String, Object>) r.next().get("meta");
                meta = properties;
            }
        }
        Object listed = meta.get(Schema.Key.LAYERS);
        List<?> metaLayers =
                listed instanceof String[] names ? List.of(names) : listed instanceof List<?> names ? names : List.of();
        List<LayerInfo> layers = new ArrayList<>();
        try (Result r = tx.execute("MATCH (l:Layer) RETURN l ORDER BY l.name")) {
            while (r.hasNext()) {
                org.neo4j.graphdb.Node l = (org.neo4j.graphdb.Node) r.next().get("l");
                String name = (String) l.getProperty(Schema.Key.NAME);
                String property = (String) l.getProperty(Schema.Key.PROPERTY, Schema.activationProperty(name));
                Map<String, Object> config = null;
                if (l.hasProperty(Schema.Key.GROUP_TOP)) {
                    config = config(
                            name,
                            l.getProperty(Schema.Key.GROUP_TOP),
                            l.getProperty(Schema.Key.GROUP_SUPPORT, null),
                            l.getProperty(Schema.Key.GROUP_MODE, null),
                            l.getProperty(Schema.Key.GROUP_RANK, meta.get(Schema.Key.RANK)));
                } else if (metaLayers.contains(name) && meta.containsKey(Schema.Key.TOP)) {
                    config = config(
                            name,
                            meta.get(Schema.Key.TOP),
                            meta.get(Schema.Key.SUPPORT),
                            meta.get(Schema.Key.MODE),
                            meta.get(Schema.Key.RANK));
                }
                layers.add(new LayerInfo(name, property, config));
            }
        }
        return layers;
    }

    private static Map<String, Object> config(String layer, Object top, Object support, Object mode, Object rank) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("layer", layer);
        config.put("top", top);
        if (support != null) {
            config.put("support", support);
        }
        if (mode != null) {
            config.put("mode", mode);
        }
        if (rank != null) {
            config.put("rank", rank);
        }
        return config;
    }

    private static float[] floats(Object array) {
        if (array instanceof float[] f) {
            return f;
        }
        if (array instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        throw new IllegalStateException(
                "an activation vector of " + array.getClass().getSimpleName());
    }

    private static int intOf(Object number) {
        return ((Number) number).intValue();
    }

    private static long longOf(Object number) {
        return ((Number) number).longValue();
    }

    private static Long longOrNull(Object number) {
        return number == null ? null : ((Number) number).longValue();
    }

    private static Double doubleOrNull(Object number) {
        return number == null ? null : ((Number) number).doubleValue();
    }
}
