package hmn.finch;

import hmn.core.BadInputException;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
            throw new BadInputException(file + ": unknown embeddings format; give a .npy or a .csv file (no header, one row per point)");
        }
        int bad = Finch.firstNonFiniteRow(x);
        if (bad >= 0) {
            throw new BadInputException(file + ": row " + bad + " (0-based) holds NaN or an infinite value;"
                    + " remove or repair that row");
        }
        return x;
    }

    private static FloatMatrix readCsv(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            FloatArray values = new FloatArray();
            int cols = -1;
            int rows = 0;
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cols < 0) {
                    cols = cells.length;
                } else if (cells.length != cols) {
                    throw new BadInputException(file + ": line " + lineNo + " has " + cells.length + " values, the first row has "
                            + cols + "; every row needs the same number of columns");
                }
                for (int c = 0; c < cells.length; c++) {
                    String cell = cells[c].strip();
                    float v;
                    try {
                        v = Float.parseFloat(cell);
                    } catch (NumberFormatException e) {
                        throw new BadInputException(file + ": line " + lineNo + ", column " + (c + 1) + ": '" + cell
                                + "' is not a number (the file must have no header)");
                    }
                    if (!Float.isFinite(v)) {
                        throw new BadInputException(file + ": line " + lineNo + " (row " + rows + ", 0-based) holds NaN or an"
                                + " infinite value; remove or repair that row");
                    }
                    values.add(v);
                }
                rows++;
            }
            if (rows == 0) {
                throw new BadInputException(file + ": no rows; it needs at least one row of numbers");
            }
            return new FloatMatrix(rows, cols, values.toArray());
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file; check the path");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + "); check permissions");
        }
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
