package hmn.format;

import hmn.core.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The partitions file of the contract: CSV with header {@code image,level_1,...,level_L}, one row per image, labels
 * integers >= 0; each cluster of level L+1 is a union of level-L clusters.
 */
public final class PartitionsFile {
    private PartitionsFile() {}

    /** Reads and checks, nestedness included; a problem is a {@link BadInputException} naming file, line and fix. */
    public static Partitions read(Path file) {
        List<CsvFiles.Row> rows = CsvFiles.read(file);
        if (rows.isEmpty()) {
            throw new BadInputException(
                    file + ": is empty; write the header 'image,level_1,...,level_L' and one row" + " per image");
        }
        CsvFiles.Row header = rows.get(0);
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
            CsvFiles.Row row = rows.get(r + 1);
            List<String> f = row.fields();
            if (f.size() != names.size()) {
                throw new BadInputException(file + ": line " + row.line() + ": has " + f.size() + " fields, expected "
                        + names.size() + " (image and " + levels + " levels); give every image a label on every level");
            }
            String image = f.get(0);
            String problem = ImagePaths.problem(image);
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

    /** Writes {@code images} and their labels ({@code labels[l][i]}: image i at level l + 1) whole or not at all. */
    public static void write(Path file, List<String> images, int[][] labels) throws IOException {
        CsvFiles.write(file, out -> {
            List<String> fields = new ArrayList<>(labels.length + 1);
            fields.add("image");
            for (int l = 1; l <= labels.length; l++) {
                fields.add("level_" + l);
            }
            out.row(fields);
            for (int i = 0; i < images.size(); i++) {
                fields.clear();
                fields.add(images.get(i));
                for (int[] level : labels) {
                    fields.add(Integer.toString(level[i]));
                }
                out.row(fields);
            }
        });
    }
}
