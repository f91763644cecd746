package hmn.group;

import hmn.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster hierarchy: clusters (indexed 0..size-1), each with its level, caption, parent, children and the rows
 * of all the images it holds (its own and its descendants', deduplicated, ascending). Immutable once built: from a
 * graph's clusters with {@link #builder()}, or from a nested partition with {@link #ofPartition(int[][], boolean)}.
 */
public final class Hierarchy {

    private final String[] ids;
    private final int[] levels;
    private final String[] captions;
    private final int[] labels;
    private final boolean[] synthetic;
    private final Map<Integer, int[]> byLevel;
    private final int levelCount;
    private final int[] parents;
    private final int[][] children;
    private final int[][] rows;
    private final int[] bottomUp;
    private final Map<String, Integer> index;
    private final int imageCount;

    private Hierarchy(Builder b) {
        int n = b.ids.size();
        ids = b.ids.toArray(String[]::new);
        levels = b.levels.stream().mapToInt(Integer::intValue).toArray();
        captions = b.captions.toArray(String[]::new);
        labels = b.labels.stream().mapToInt(Integer::intValue).toArray();
        synthetic = new boolean[n];
        for (int i = 0; i < n; i++) {
            synthetic[i] = b.synthetic.get(i);
        }
        Map<Integer, List<Integer>> atLevel = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            atLevel.computeIfAbsent(levels[i], l -> new ArrayList<>()).add(i);
        }
        byLevel = new HashMap<>();
        atLevel.forEach((level, clusters) ->
                byLevel.put(level, clusters.stream().mapToInt(Integer::intValue).toArray()));
        levelCount = Math.max(0, Arrays.stream(levels).max().orElse(0));
        index = Map.copyOf(b.index);
        parents = new int[n];
        Arrays.fill(parents, -1);
        List<List<Integer>> kids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kids.add(new ArrayList<>());
        }
        for (int[] edge : b.edges) {
            int parent = edge[0];
            int child = edge[1];
            if (parents[child] >= 0 && parents[child] != parent) {
                throw new IllegalArgumentException("cluster '" + ids[child] + "' has two parents: '"
                        + ids[parents[child]] + "' and '" + ids[parent] + "'");
            }
            if (parents[child] != parent) {
                parents[child] = parent;
                kids.get(parent).add(child);
            }
        }
        children = new int[n][];
        for (int i = 0; i < n; i++) {
            children[i] =
                    kids.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        bottomUp = postOrder(n);
        imageCount = b.imageCount;
        rows = new int[n][];
        for (int c : bottomUp) {
            // memory in proportion to the memberships (images x levels), not to clusters x images
            RowList own = b.images.get(c);
            int size = own == null ? 0 : own.size;
            for (int child : children[c]) {
                size += rows[child].length;
            }
            int[] all = new int[size];
            int k = 0;
            if (own != null) {
                System.arraycopy(own.rows, 0, all, 0, own.size);
                k = own.size;
            }
            for (int child : children[c]) {
                System.arraycopy(rows[child], 0, all, k, rows[child].length);
                k += rows[child].length;
            }
            rows[c] = sortedDistinct(all);
        }
    }

    /** {@code values} sorted ascending without repeats (sorted in place). */
    private static int[] sortedDistinct(int[] values) {
        Arrays.sort(values);
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (i == 0 || values[i] != values[i - 1]) {
                values[n++] = values[i];
            }
        }
        return n == values.length ? values : Arrays.copyOf(values, n);
    }

    /** A growable list of image rows. */
    private static final class RowList {
        int[] rows = new int[4];
        int size;

        void add(int row) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
            }
            rows[size++] = row;
        }
    }

    private int[] postOrder(int n) {
        int[] order = new int[n];
        int[] state = new int[n]; // 0 new, 1 on stack, 2 done
        int count = 0;
        int[] stack = new int[n];
        int[] next = new int[n];
        for (int root = 0; root < n; root++) {
            if (state[root] != 0) {
                continue;
            }
            int top = 0;
            stack[top] = root;
            state[root] = 1;
            while (top >= 0) {
                int c = stack[top];
                if (next[c] < children[c].length) {
                    int child = children[c][next[c]++];
                    if (state[child] == 1) {
                        throw new IllegalArgumentException(
                                "cluster '" + ids[child] + "' contains itself (a cycle of CONTAINS)");
                    }
                    if (state[child] == 0) {
                        state[child] = 1;
                        stack[++top] = child;
                    }
                } else {
                    state[c] = 2;
                    order[count++] = c;
                    top--;
                }
            }
        }
        return order;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The cluster tree of a nested partition: {@code labels[l][i]} is image i's label at level l + 1. Cluster ids are
     * {@code "L{level}-{label}"}; clusters are indexed level by level, in label order. Level-1 clusters hold their
     * images; a higher cluster's parent is the cluster of its first image one level up.
     *
     * @param syntheticRoot add a root level L + 1 with one cluster {@code L{L+1}-0} over every image, marked
     *     synthetic, when the top level has more than one cluster
     */
    public static Hierarchy ofPartition(int[][] labels, boolean syntheticRoot) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("a partition needs at least one level");
        }
        int n = labels[0].length;
        int[][] all = labels;
        boolean addRoot = syntheticRoot
                && Arrays.stream(labels[labels.length - 1]).distinct().limit(2).count() > 1;
        if (addRoot) {
            all = Arrays.copyOf(labels, labels.length + 1);
            all[labels.length] = new int[n];
        }
        Builder b = builder().images(n);
        for (int l = 0; l < all.length; l++) {
            boolean isRoot = addRoot && l == all.length - 1;
            for (int label : Arrays.stream(all[l]).distinct().sorted().toArray()) {
                b.cluster(Schema.clusterId(l + 1, label), l + 1, label, isRoot, null);
            }
        }
        for (int l = 1; l < all.length; l++) {
            Map<Integer, Integer> parentOf = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                parentOf.putIfAbsent(all[l - 1][i], all[l][i]);
            }
            for (Map.Entry<Integer, Integer> e : parentOf.entrySet()) {
                b.child(Schema.clusterId(l + 1, e.getValue()), Schema.clusterId(l, e.getKey()));
            }
        }
        Map<Integer, String> level1 = new HashMap<>();
        for (int i = 0; i < n; i++) {
            b.image(level1.computeIfAbsent(all[0][i], label -> Schema.clusterId(1, label)), i);
        }
        return b.build();
    }

    public int size() {
        return ids.length;
    }

    public int imageCount() {
        return imageCount;
    }

    public Optional<Integer> find(String id) {
        return Optional.ofNullable(index.get(id));
    }

    public String id(int cluster) {
        return ids[cluster];
    }

    public int level(int cluster) {
        return levels[cluster];
    }

    public String caption(int cluster) {
        return captions[cluster];
    }

    /** The cluster's label in its partition level, or -1 when it was built without one. */
    public int label(int cluster) {
        return labels[cluster];
    }

    /** Whether the cluster was added over the partition (a synthetic root). */
    public boolean synthetic(int cluster) {
        return synthetic[cluster];
    }

    /** The highest level of any cluster (levels count from 1), or 0 when there is no cluster. */
    public int levelCount() {
        return levelCount;
    }

    /** The clusters of a level, by index. */
    public int[] clustersAt(int level) {
        return byLevel.getOrDefault(level, new int[0]).clone();
    }

    /** The parent's index, or -1 for a top cluster. */
    public int parent(int cluster) {
        return parents[cluster];
    }

    public int[] children(int cluster) {
        return children[cluster].clone();
    }

    int[] childrenView(int cluster) {
        return children[cluster];
    }

    /** The rows of every image the cluster holds, directly or through its descendants, ascending. */
    public int[] rows(int cluster) {
        return rows[cluster].clone();
    }

    int[] rowsView(int cluster) {
        return rows[cluster];
    }

    /** The number of images the cluster holds. */
    public int imageCount(int cluster) {
        return rows[cluster].length;
    }

    /** Every cluster after all of its descendants. */
    int[] bottomUp() {
        return bottomUp;
    }

    /** Adds clusters, parent-child links and image memberships; validates ids and rows. */
    public static final class Builder {
        private final List<String> ids = new ArrayList<>();
        private final List<Integer> levels = new ArrayList<>();
        private final List<String> captions = new ArrayList<>();
        private final List<Integer> labels = new ArrayList<>();
        private final List<Boolean> synthetic = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();
        private final List<int[]> edges = new ArrayList<>();
        private final Map<Integer, RowList> images = new HashMap<>();
        private int imageCount;

        private Builder() {}

        /** The number of image rows (rows are 0..imageCount-1). */
        public Builder images(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("image count must be >= 0, got " + count);
            }
            imageCount = count;
            return this;
        }

        public Builder cluster(String id, int level, String caption) {
            return cluster(id, level, -1, false, caption);
        }

        /** A cluster with its partition label and whether it is synthetic. */
        public Builder cluster(String id, int level, int label, boolean synthetic, String caption) {
            if (id == null) {
                throw new IllegalArgumentException("a cluster has no id");
            }
            if (index.containsKey(id)) {
                throw new IllegalArgumentException("cluster '" + id + "' appears twice");
            }
            index.put(id, ids.size());
            ids.add(id);
            levels.add(level);
            labels.add(label);
            this.synthetic.add(synthetic);
            captions.add(caption);
            return this;
        }

        public Builder child(String parentId, String childId) {
            int parent = require(parentId);
            int child = require(childId);
            if (parent == child) {
                throw new IllegalArgumentException("cluster '" + parentId + "' contains itself");
            }
            edges.add(new int[] {parent, child});
            return this;
        }

        public Builder image(String clusterId, int row) {
            int cluster = require(clusterId);
            if (row < 0 || row >= imageCount) {
                throw new IllegalArgumentException(
                        "image row " + row + " of cluster '" + clusterId + "' is not in [0, " + imageCount + ")");
            }
            images.computeIfAbsent(cluster, c -> new RowList()).add(row);
            return this;
        }

        private int require(String id) {
            Integer i = index.get(id);
            if (i == null) {
                throw new IllegalArgumentException("cluster '" + id + "' not found");
            }
            return i;
        }

        public Hierarchy build() {
            return new Hierarchy(this);
        }
    }
}
