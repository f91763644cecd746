package hmn.io;

/**
 * A dense row-major float32 matrix: {@code rows x cols}, element (r, c) at {@code data[r * cols + c]}.
 */
public record FloatMatrix(int rows, int cols, float[] data) {
    public FloatMatrix {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("shape must be non-negative, got " + rows + " x " + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("data holds " + data.length + " values, shape " + rows + " x " + cols
                    + " needs " + (long) rows * cols);
        }
    }

    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    /** A copy of one row. */
    public float[] row(int row) {
        float[] out = new float[cols];
        System.arraycopy(data, row * cols, out, 0, cols);
        return out;
    }

    /** A copy of the first {@code count} rows. */
    public FloatMatrix firstRows(int count) {
        if (count < 0 || count > rows) {
            throw new IllegalArgumentException("count must be in [0, " + rows + "], got " + count);
        }
        return new FloatMatrix(count, cols, java.util.Arrays.copyOf(data, count * cols));
    }
}
