package hmn.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster tree of a nested partition: levels 1..L from the partition and, when asked, a synthetic root level
 * L + 1 holding one cluster over everything.
 */
public final class Hierarchy {
    /** A cluster: its id "L{level}-{label}", its images (rows), its children's and its parent's ids. */
    public record Cluster(String id, int level, int label, int[] rows, List<String> children, String parent,
            boolean synthetic) {}

    /** A level: its number, whether it is synthetic, and its clusters in label order. */
    public record Level(int number, boolean synthetic, List<Cluster> clusters) {}

    private final List<Level> levels;

    private Hierarchy(List<Level> levels) {
        this.levels = List.copyOf(levels);
    }

    public List<Level> levels() {
        return levels;
    }

    public Level top() {
        return levels.get(levels.size() - 1);
    }

    public int clusterCount() {
        return levels.stream().mapToInt(l -> l.clusters().size()).sum();
    }

    public static String clusterId(int level, int label) {
        return "L" + level + "-" + label;
    }

    /**
     * Builds the tree from {@code labels[l][i]} (image i's label at level l + 1, nested).
     *
     * @param syntheticRoot add a root level over everything when the top level has more than one cluster
     */
    public static Hierarchy of(int[][] labels, boolean syntheticRoot) {
        int n = labels[0].length;
        int levelCount = labels.length;
        boolean addRoot = syntheticRoot && distinct(labels[levelCount - 1]) > 1;
        int[][] all = labels;
        if (addRoot) {
            all = Arrays.copyOf(labels, levelCount + 1);
            all[levelCount] = new int[n];
        }
        List<Level> levels = new ArrayList<>();
        for (int l = 0; l < all.length; l++) {
            int number = l + 1;
            Map<Integer, int[]> rows = groupRows(all[l]);
            Map<Integer, List<String>> children = new TreeMap<>();
            if (l > 0) {
                for (Map.Entry<Integer, int[]> e : groupRows(all[l - 1]).entrySet()) {
                    int childLabel = e.getKey();
                    int parentLabel = all[l][e.getValue()[0]];
                    children.computeIfAbsent(parentLabel, x -> new ArrayList<>()).add(clusterId(l, childLabel));
                }
            }
            List<Cluster> clusters = new ArrayList<>(rows.size());
            boolean synthetic = addRoot && l == all.length - 1;
            for (Map.Entry<Integer, int[]> e : rows.entrySet()) {
                int label = e.getKey();
                String parent = l + 1 < all.length ? clusterId(number + 1, all[l + 1][e.getValue()[0]]) : null;
                clusters.add(new Cluster(clusterId(number, label), number, label, e.getValue(),
                        List.copyOf(children.getOrDefault(label, Collections.emptyList())), parent, synthetic));
            }
            levels.add(new Level(number, synthetic, clusters));
        }
        return new Hierarchy(levels);
    }

    private static int distinct(int[] labels) {
        return (int) Arrays.stream(labels).distinct().limit(2).count();
    }

    private static Map<Integer, int[]> groupRows(int[] labels) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int v : labels) {
            counts.merge(v, 1, Integer::sum);
        }
        Map<Integer, int[]> rows = new TreeMap<>();
        Map<Integer, Integer> fill = new java.util.HashMap<>();
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            rows.put(e.getKey(), new int[e.getValue()]);
            fill.put(e.getKey(), 0);
        }
        for (int i = 0; i < labels.length; i++) {
            int at = fill.merge(labels[i], 1, Integer::sum) - 1;
            rows.get(labels[i])[at] = i;
        }
        return rows;
    }
}
