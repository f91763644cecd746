package hmn.finch;

import hmn.core.BadInputException;
import hmn.format.CsvFiles;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads an embeddings matrix for clustering: {@code .npy} (float32/float64, 2-D, C order) or {@code .csv} (no header). */
public final class EmbeddingsFile {
    private EmbeddingsFile() {}

    /** Reads and validates: not empty, 2-D, rectangular, finite. Problems are {@link BadInputException}s. */
    public static FloatMatrix read(Path file) {
        if (!Files.exists(file)) {
            throw new BadInputException(file + ": no such file; check the path given to --embeddings");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        FloatMatrix x;
        if (name.endsWith(".npy")) {
            x = Npy.read(file);
        } else if (name.endsWith(".csv")) {
            x = readCsv(file);
        } else {
            throw new BadInputException(
                    file + ": unknown embeddings format; give a .npy or a .csv file (no header, one row per point)");
        }
        int bad = Finch.firstNonFiniteRow(x);
        if (bad >= 0) {
            throw new BadInputException(file + ": row " + bad + " (0-based) holds NaN or an infinite value;"
                    + " remove or repair that row");
        }
        return x;
    }

    private static FloatMatrix readCsv(Path file) {
        FloatArray values = new FloatArray();
        int[] shape = {0, -1}; // rows, columns
        CsvFiles.stream(file, row -> {
            List<String> cells = row.fields();
            if (cells.size() == 1 && cells.get(0).isBlank()) {
                return;
            }
            int lineNo = row.line();
            if (shape[1] < 0) {
                shape[1] = cells.size();
            } else if (cells.size() != shape[1]) {
                throw new BadInputException(file + ": line " + lineNo + " has " + cells.size() + " values, the first"
                        + " row has " + shape[1] + "; every row needs the same number of columns");
            }
            for (int c = 0; c < cells.size(); c++) {
                String cell = cells.get(c).strip();
                float v;
                try {
                    v = Float.parseFloat(cell);
                } catch (NumberFormatException e) {
                    throw new BadInputException(file + ": line " + lineNo + ", column " + (c + 1) + ": '" + cell
                            + "' is not a number (the file must have no header)");
                }
                if (!Float.isFinite(v)) {
                    throw new BadInputException(file + ": line " + lineNo + " (row " + shape[0] + ", 0-based) holds NaN"
                            + " or an infinite value; remove or repair that row");
                }
                values.add(v);
            }
            shape[0]++;
        });
        if (shape[0] == 0) {
            throw new BadInputException(file + ": no rows; it needs at least one row of numbers");
        }
        return new FloatMatrix(shape[0], shape[1], values.toArray());
    }

    private static final class FloatArray {
        float[] data = new float[1024];
        int size;

        void add(float v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
