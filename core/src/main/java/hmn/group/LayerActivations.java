package hmn.group;

import java.util.PriorityQueue;

/**
 * The activations of one layer: {@code rows x channels} values, row-major (row = the image's row).
 *
 * @param name the layer name, e.g. {@code layer4}
 */
public record LayerActivations(String name, int channels, int rows, float[] values) {

    public LayerActivations {
        if (channels < 1) {
            throw new IllegalArgumentException("layer '" + name + "' must have >= 1 channels, got " + channels);
        }
        if ((long) rows * channels != values.length) {
            throw new IllegalArgumentException("layer '" + name + "' has " + values.length + " values, expected " + rows
                    + " images x " + channels + " channels");
        }
    }

    public float value(int row, int neuron) {
        return values[row * channels + neuron];
    }

    /** The activated sets of every image at this {@code k}, ranked by raw activation. */
    public long[] activatedSets(int k) {
        return ActivatedSets.compute(values, rows, channels, k);
    }

    /** The activated sets of every image at this {@code k}, ranked as {@code rank} says. */
    public long[] activatedSets(int k, Rank rank) {
        return ActivatedSets.compute(rank == Rank.ZSCORE ? standardized() : values, rows, channels, k);
    }

    /**
     * Each value as (value - channel mean) / channel sd over the rows (population sd, in double); a channel with sd 0
     * gets negative infinity everywhere, so that it ranks last.
     */
    public float[] standardized() {
        double[] mean = new double[channels];
        double[] square = new double[channels];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < channels; j++) {
                mean[j] += values[r * channels + j];
            }
        }
        for (int j = 0; j < channels; j++) {
            mean[j] /= Math.max(1, rows);
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < channels; j++) {
                double d = values[r * channels + j] - mean[j];
                square[j] += d * d;
            }
        }
        float[] out = new float[values.length];
        for (int j = 0; j < channels; j++) {
            double sd = Math.sqrt(square[j] / Math.max(1, rows));
            for (int r = 0; r < rows; r++) {
                out[r * channels + j] =
                        sd > 0 ? (float) ((values[r * channels + j] - mean[j]) / sd) : Float.NEGATIVE_INFINITY;
            }
        }
        return out;
    }

    /** The {@code k} rows with the largest activation of the neuron, strongest first; ties go to the lower row. */
    public int[] topRows(int neuron, int k) {
        int n = Math.min(k, rows);
        // the weakest kept row at the head: lower value first, then higher row
        PriorityQueue<Integer> heap = new PriorityQueue<>(n + 1, (a, b) -> {
            int byValue = Float.compare(key(value(a, neuron)), key(value(b, neuron)));
            return byValue != 0 ? byValue : Integer.compare(b, a);
        });
        for (int r = 0; r < rows; r++) {
            if (heap.size() < n) {
                heap.add(r);
            } else if (n > 0 && key(value(r, neuron)) > key(value(heap.peek(), neuron))) {
                heap.poll();
                heap.add(r);
            }
        }
        int[] out = new int[heap.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = heap.poll();
        }
        return out;
    }

    private static float key(float v) {
        return Float.isNaN(v) ? Float.NEGATIVE_INFINITY : v + 0.0f;
    }
}
