package hmn.finch;

/** Connected components of FINCH's link graph, labelled 0, 1, 2, ... in order of first appearance. */
final class Components {
    private Components() {}

    /** Without pruning, i and its first neighbour are linked, and points sharing a neighbour are linked through it. */
    static int[] ofFirstNeighbours(int[] k) {
        UnionFind uf = new UnionFind(k.length);
        for (int i = 0; i < k.length; i++) {
            uf.union(i, k[i]);
        }
        return uf.labels();
    }

    /**
     * With early exit: a link (i, j) is removed when d(i,j) * A(i,j) > minSim. Links are i to its first neighbour
     * (A = 2 when mutual, else 1) and two points sharing a first neighbour (A = 1).
     */
    static int[] pruned(Neighbours nb, UnitRows rows, double minSim) {
        int[] k = nb.first();
        int n = k.length;
        UnionFind uf = new UnionFind(n);
        for (int i = 0; i < n; i++) {
            double a = k[k[i]] == i ? 2 : 1;
            if (nb.distance()[i] * a <= minSim) {
                uf.union(i, k[i]);
            }
        }
        int[][] children = children(k);
        for (int[] s : children) {
            if (s == null) {
                continue;
            }
            for (int a = 0; a < s.length; a++) {
                for (int b = a + 1; b < s.length; b++) {
                    if (uf.find(s[a]) != uf.find(s[b]) && rows.distance(s[a], s[b]) <= minSim) {
                        uf.union(s[a], s[b]);
                    }
                }
            }
        }
        return uf.labels();
    }

    /** For each point h, the points whose first neighbour is h (ascending), or null when none. */
    static int[][] children(int[] k) {
        int n = k.length;
        int[] size = new int[n];
        for (int j : k) {
            size[j]++;
        }
        int[][] out = new int[n][];
        for (int h = 0; h < n; h++) {
            if (size[h] > 0) {
                out[h] = new int[size[h]];
            }
        }
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            out[k[i]][fill[k[i]]++] = i;
        }
        return out;
    }

    static int count(int[] labels) {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    private static final class UnionFind {
        final int[] parent;

        UnionFind(int n) {
            parent = new int[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
            }
        }

        int find(int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                parent[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }

        int[] labels() {
            int n = parent.length;
            int[] rootLabel = new int[n];
            java.util.Arrays.fill(rootLabel, -1);
            int[] out = new int[n];
            int next = 0;
            for (int i = 0; i < n; i++) {
                int r = find(i);
                if (rootLabel[r] < 0) {
                    rootLabel[r] = next++;
                }
                out[i] = rootLabel[r];
            }
            return out;
        }
    }
}
