package hmn.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster hierarchy: clusters (indexed 0..size-1), each with its level, caption, parent, children and the rows
 * of all the images it holds (its own and its descendants', deduplicated, ascending). Immutable once built.
 */
public final class Hierarchy {

    private final String[] ids;
    private final int[] levels;
    private final String[] captions;
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
            children[i] = kids.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        bottomUp = postOrder(n);
        imageCount = b.imageCount;
        rows = new int[n][];
        for (int c : bottomUp) {
            BitSet own = b.images.getOrDefault(c, new BitSet());
            BitSet all = (BitSet) own.clone();
            for (int child : children[c]) {
                for (int r : rows[child]) {
                    all.set(r);
                }
            }
            rows[c] = all.stream().toArray();
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
                        throw new IllegalArgumentException("cluster '" + ids[child] + "' contains itself (a cycle of CONTAINS)");
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
        private final Map<String, Integer> index = new HashMap<>();
        private final List<int[]> edges = new ArrayList<>();
        private final Map<Integer, BitSet> images = new LinkedHashMap<>();
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
            if (id == null) {
                throw new IllegalArgumentException("a cluster has no id");
            }
            if (index.containsKey(id)) {
                throw new IllegalArgumentException("cluster '" + id + "' appears twice");
            }
            index.put(id, ids.size());
            ids.add(id);
            levels.add(level);
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
            images.computeIfAbsent(cluster, c -> new BitSet()).set(row);
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
