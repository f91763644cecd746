package hmn.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmn.format.CsvFiles;
import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.neo4j.graphdb.Entity;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Path;
import org.neo4j.graphdb.Relationship;

/** Prints query results as an aligned table, CSV or JSON. Values are converted to plain Java values first. */
public final class ResultFormat {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final int MAX_CELL = 100;
    private static final int MAX_ARRAY_IN_TEXT = 8;

    public enum Kind {
        table,
        csv,
        json
    }

    private ResultFormat() {}

    /** A Neo4j value as plain Java: maps for nodes and relationships, lists for paths and arrays. */
    public static Object plain(Object value) {
        if (value instanceof Node n) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<String> labels = new ArrayList<>();
            n.getLabels().forEach(l -> labels.add(l.name()));
            m.put("_labels", labels);
            m.putAll(properties(n));
            return m;
        }
        if (value instanceof Relationship r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("_type", r.getType().name());
            m.putAll(properties(r));
            return m;
        }
        if (value instanceof Path p) {
            List<Object> items = new ArrayList<>();
            for (Entity e : p) {
                items.add(plain(e));
            }
            return items;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            map.forEach((k, v) -> m.put(String.valueOf(k), plain(v)));
            return m;
        }
        if (value instanceof Iterable<?> it) {
            List<Object> items = new ArrayList<>();
            it.forEach(v -> items.add(plain(v)));
            return items;
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(plain(Array.get(value, i)));
            }
            return items;
        }
        if (value instanceof java.time.temporal.TemporalAccessor
                || value instanceof java.time.temporal.TemporalAmount
                || value instanceof org.neo4j.graphdb.spatial.Point) {
            return value.toString();
        }
        return value;
    }

    private static Map<String, Object> properties(Entity e) {
        Map<String, Object> m = new LinkedHashMap<>();
        e.getAllProperties().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(x -> m.put(x.getKey(), plain(x.getValue())));
        return m;
    }

    /** Prints the rows (already plain) with the given columns. */
    public static void print(PrintWriter out, Kind kind, List<String> columns, List<Map<String, Object>> rows) {
        switch (kind) {
            case json -> printJson(out, rows);
            case csv -> printCsv(out, columns, rows);
            case table -> printTable(out, columns, rows);
        }
        out.flush();
    }

    private static void printJson(PrintWriter out, List<Map<String, Object>> rows) {
        out.println("[");
        for (int i = 0; i < rows.size(); i++) {
            try {
                out.print("  " + JSON.writeValueAsString(rows.get(i)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a row as JSON: " + e, e);
            }
            out.println(i + 1 < rows.size() ? "," : "");
        }
        out.println("]");
    }

    private static void printCsv(PrintWriter out, List<String> columns, List<Map<String, Object>> rows) {
        out.println(CsvFiles.line(columns));
        List<String> line = new ArrayList<>(columns.size());
        for (Map<String, Object> row : rows) {
            line.clear();
            for (String c : columns) {
                line.add(text(row.get(c), false));
            }
            out.println(CsvFiles.line(line));
        }
    }

    private static void printTable(PrintWriter out, List<String> columns, List<Map<String, Object>> rows) {
        List<String[]> cells = new ArrayList<>();
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            width[c] = columns.get(c).length();
        }
        for (Map<String, Object> row : rows) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                String s = text(row.get(columns.get(c)), true).replace("\n", " ");
                if (s.length() > MAX_CELL) {
                    s = s.substring(0, MAX_CELL - 3) + "...";
                }
                line[c] = s;
                width[c] = Math.max(width[c], s.length());
            }
            cells.add(line);
        }
        out.println(line(columns.toArray(new String[0]), width));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            rule.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        out.println(rule);
        for (String[] line : cells) {
            out.println(line(line, width));
        }
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
    }

    private static String line(String[] values, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                sb.append(" | ");
            }
            sb.append(values[c]);
            if (c + 1 < values.length) {
                sb.append(" ".repeat(width[c] - values[c].length()));
            }
        }
        return sb.toString();
    }

    /** A plain value as text: strings bare at the top level, quoted inside lists and maps. */
    static String text(Object value, boolean abbreviate) {
        return text(value, abbreviate, true);
    }

    private static String text(Object value, boolean abbreviate, boolean top) {
        if (value == null) {
            return top ? "" : "null";
        }
        if (value instanceof String s) {
            return top ? s : "\"" + s + "\"";
        }
        if (value instanceof List<?> list) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            int shown = 0;
            for (Object v : list) {
                if (abbreviate && shown == MAX_ARRAY_IN_TEXT) {
                    j.add("... " + list.size() + " values");
                    break;
                }
                j.add(text(v, abbreviate, false));
                shown++;
            }
            return j.toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            map.forEach((k, v) -> j.add(k + ": " + text(v, abbreviate, false)));
            return j.toString();
        }
        return String.valueOf(value);
    }
}
