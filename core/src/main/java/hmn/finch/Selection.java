package hmn.finch;

/**
 * Some rows of a matrix, in ascending order: either a contiguous range {@code [start, start + length)} or an explicit
 * ascending list of indices.
 */
public record Selection(int start, int length, int[] indices) {
    public static Selection range(int start, int length) {
        return new Selection(start, length, null);
    }

    public static Selection of(int[] indices) {
        return new Selection(-1, indices.length, indices);
    }

    public int get(int position) {
        return indices == null ? start + position : indices[position];
    }

    public boolean isRange() {
        return indices == null;
    }
}
