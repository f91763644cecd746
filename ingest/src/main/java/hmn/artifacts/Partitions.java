package hmn.artifacts;

import hmn.core.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A nested partition of the images: CSV with header {@code image,level_1,...,level_L}, labels are integers >= 0.
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

    public static Partitions read(Path file) {
        List<Csv.Row> rows = Csv.read(file);
        if (rows.isEmpty()) {
            throw new BadInputException(file + ": is empty; write the header 'image,level_1,...,level_L' and one row"
                    + " per image");
        }
        Csv.Row header = rows.get(0);
        List<String> names = header.fields();
        if (names.size() < 2 || !names.get(0).equals("image")) {
            throw new BadInputException(file + ": line 1: header is '" + String.join(",", names)
                    + "', expected 'image,level_1,...,level_L'; fix the first line");
        }
        for (int l = 1; l < names.size(); l++) {
            if (!names.get(l).equals("level_" + l)) {
                throw new BadInputException(file + ": line 1: column " + (l + 1) + " is '" + names.get(l)
                        + "', expected 'level_" + l + "'; name the columns level_1 to level_" + (names.size() - 1));
            }
        }
        int levels = names.size() - 1;
        int n = rows.size() - 1;
        if (n == 0) {
            throw new BadInputException(file + ": has a header but no rows; write one row per image");
        }
        List<String> images = new ArrayList<>(n);
        int[][] labels = new int[levels][n];
        int[] lines = new int[n];
        Map<String, Integer> seen = new HashMap<>(n * 2);
        for (int r = 0; r < n; r++) {
            Csv.Row row = rows.get(r + 1);
            List<String> f = row.fields();
            if (f.size() != names.size()) {
                throw new BadInputException(file + ": line " + row.line() + ": has " + f.size() + " fields, expected "
                        + names.size() + " (image and " + levels + " levels); give every image a label on every level");
            }
            String image = f.get(0);
            String problem = Artifacts.imagePathProblem(image);
            if (problem != null) {
                throw new BadInputException(file + ": line " + row.line() + ": " + problem);
            }
            Integer before = seen.putIfAbsent(image, row.line());
            if (before != null) {
                throw new BadInputException(file + ": line " + row.line() + ": image '" + image
                        + "' is listed again (first on line " + before + "); list each image once");
            }
            images.add(image);
            lines[r] = row.line();
            for (int l = 0; l < levels; l++) {
                String v = f.get(l + 1).strip();
                int label;
                try {
                    label = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    label = -1;
                }
                if (label < 0) {
                    throw new BadInputException(file + ": line " + row.line() + ": level_" + (l + 1) + " is '" + v
                            + "', expected an integer >= 0; labels are cluster numbers");
                }
                labels[l][r] = label;
            }
        }
        Partitions p = new Partitions(file, images, labels, lines);
        p.requireNested();
        return p;
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
