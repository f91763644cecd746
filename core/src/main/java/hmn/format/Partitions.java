package hmn.format;

import hmn.core.BadInputException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A nested partition of the images, as read by {@link PartitionsFile}: labels are integers >= 0.
 *
 * @param source the file read
 * @param images image paths in file order
 * @param labels {@code labels[l][i]} = the cluster label of image i at level l + 1
 * @param lines the 1-based line each image came from
 */
public record Partitions(Path source, List<String> images, int[][] labels, int[] lines) {
    public Partitions {
        images = List.copyOf(images);
        for (int[] level : labels) {
            if (level.length != images.size()) {
                throw new IllegalArgumentException("every level needs one label per image");
            }
        }
    }

    public int levels() {
        return labels.length;
    }

    /** The first {@code n} levels. */
    public Partitions firstLevels(int n) {
        if (n < 1 || n > levels()) {
            throw new BadInputException("--levels " + n + ": " + source + " has " + levels()
                    + " levels; pass a number from 1 to " + levels());
        }
        return new Partitions(source, images, java.util.Arrays.copyOf(labels, n), lines);
    }

    /** Each cluster of level L+1 must be a union of level-L clusters: every level-L cluster has one parent. */
    public void requireNested() {
        for (int l = 0; l + 1 < labels.length; l++) {
            Map<Integer, Integer> parentOf = new HashMap<>();
            Map<Integer, Integer> firstRow = new HashMap<>();
            for (int i = 0; i < images.size(); i++) {
                int child = labels[l][i];
                int parent = labels[l + 1][i];
                Integer known = parentOf.putIfAbsent(child, parent);
                firstRow.putIfAbsent(child, i);
                if (known != null && known != parent) {
                    int first = firstRow.get(child);
                    throw new BadInputException(source + ": line " + lines[i] + ": partitions are not nested: level_"
                            + (l + 1) + " cluster " + child + " is in level_" + (l + 2) + " cluster " + parent
                            + " here but in cluster " + known + " on line " + lines[first] + "; every level_"
                            + (l + 1) + " cluster must lie inside one level_" + (l + 2) + " cluster");
                }
            }
        }
    }
}
