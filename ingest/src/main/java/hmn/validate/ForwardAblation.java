package hmn.validate;

import hmn.runtime.onnx.AblatableNetwork;
import hmn.validity.AblationEffects;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Ablation effects of a stage that the output reads through the rest of the network (a ResNet's layer1 to layer3):
 * each image's feature map is computed once by the network's head and kept (least recently used ones are
 * dropped beyond a memory budget); each ablated set then costs one run of the tail, batched over (set, image) pairs.
 * The unablated logits come from the same tail with every channel kept, so effects compare like with like.
 */
final class ForwardAblation implements AblationEffects, AutoCloseable {
    /** (set, image) pairs per run of the tail. */
    static final int BATCH = 32;

    private final AblatableNetwork net;
    private final IntFunction<float[]> image;
    private final float[] replacement;
    private final Map<Integer, Cached> cache;
    private long tailImages;
    private long headImages;

    /** A row's feature map, its unablated logits and their norm. */
    private record Cached(float[] features, float[] logits, double norm) {}

    /**
     * @param image a collection row's preprocessed image (CHW, as the head takes it); called from several threads
     * @param replacement r_j per channel: the means (mean ablation) or zeros (zero ablation)
     * @param cacheBytes the memory the kept feature maps may take
     */
    ForwardAblation(AblatableNetwork net, IntFunction<float[]> image, float[] replacement, long cacheBytes) {
        if (replacement.length != net.channels()) {
            throw new IllegalArgumentException(
                    "replacement has " + replacement.length + " values for " + net.channels() + " channels");
        }
        this.net = net;
        this.image = image;
        this.replacement = replacement;
        int rows = (int) Math.max(2L * BATCH, Math.min(Integer.MAX_VALUE, cacheBytes / (4L * net.featureSize())));
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Cached> eldest) {
                return size() > rows;
            }
        };
    }

    @Override
    public int channels() {
        return net.channels();
    }

    /** Images run through the head, and (set, image) pairs through the tail, so far. */
    long[] work() {
        return new long[] {headImages, tailImages};
    }

    @Override
    public double[] meanEffects(int[] rows, List<int[]> sets) {
        double[] sums = new double[sets.size()];
        if (rows.length == 0) {
            Arrays.fill(sums, Double.NaN);
            return sums;
        }
        if (sets.stream().allMatch(set -> set.length == 0)) {
            return sums; // ablating nothing changes nothing: no forward needed
        }
        int channels = net.channels();
        int size = net.featureSize();
        float[] features = new float[BATCH * size];
        float[] keep = new float[BATCH * channels];
        float[] fill = new float[BATCH * channels];
        int[] pairSet = new int[BATCH];
        Cached[] pairRow = new Cached[BATCH];
        int n = 0;
        for (int from = 0; from < rows.length; from += BATCH) {
            // a slice of rows at a time, so that the slice stays cached while every set runs on it
            int[] slice = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + BATCH));
            Cached[] cached = cached(slice);
            for (int s = 0; s < sets.size(); s++) {
                int[] set = sets.get(s);
                if (set.length == 0) {
                    continue;
                }
                for (Cached row : cached) {
                    System.arraycopy(row.features(), 0, features, n * size, size);
                    Arrays.fill(keep, n * channels, (n + 1) * channels, 1f);
                    Arrays.fill(fill, n * channels, (n + 1) * channels, 0f);
                    for (int j : set) {
                        keep[n * channels + j] = 0f;
                        fill[n * channels + j] = replacement[j];
                    }
                    pairSet[n] = s;
                    pairRow[n] = row;
                    if (++n == BATCH) {
                        accumulate(features, keep, fill, n, pairSet, pairRow, sums);
                        n = 0;
                    }
                }
            }
            accumulate(features, keep, fill, n, pairSet, pairRow, sums);
            n = 0;
        }
        for (int s = 0; s < sums.length; s++) {
            sums[s] /= rows.length;
        }
        return sums;
    }

    private void accumulate(
            float[] features, float[] keep, float[] fill, int n, int[] pairSet, Cached[] pairRow, double[] sums) {
        if (n == 0) {
            return;
        }
        float[] logits = net.logits(features, keep, fill, n);
        tailImages += n;
        int outputs = net.outputs();
        for (int i = 0; i < n; i++) {
            float[] z = pairRow[i].logits();
            double change = 0;
            for (int k = 0; k < outputs; k++) {
                double d = (double) z[k] - logits[i * outputs + k];
                change += d * d;
            }
            double norm = pairRow[i].norm();
            sums[pairSet[i]] += norm == 0 ? 0 : Math.sqrt(change) / norm;
        }
    }

    /** The rows' feature maps and logits, computing the missing ones in one batch. */
    private Cached[] cached(int[] rows) {
        Cached[] out = new Cached[rows.length];
        int[] missing = new int[rows.length];
        int m = 0;
        for (int i = 0; i < rows.length; i++) {
            out[i] = cache.get(rows[i]);
            if (out[i] == null) {
                missing[m++] = i;
            }
        }
        if (m == 0) {
            return out;
        }
        int inputSize = net.inputSize();
        float[] input = new float[m * inputSize];
        // decoding and preprocessing are independent per image: spread over the cores while the model waits
        java.util.stream.IntStream.range(0, m).parallel().forEach(i -> {
            float[] x = image.apply(rows[missing[i]]);
            System.arraycopy(x, 0, input, i * inputSize, inputSize);
        });
        float[] maps = net.features(input, m);
        headImages += m;
        int channels = net.channels();
        float[] keep = new float[m * channels];
        Arrays.fill(keep, 1f);
        float[] logits = net.logits(maps, keep, new float[m * channels], m);
        tailImages += m;
        int size = net.featureSize();
        int outputs = net.outputs();
        for (int i = 0; i < m; i++) {
            float[] z = Arrays.copyOfRange(logits, i * outputs, (i + 1) * outputs);
            double norm = 0;
            for (float v : z) {
                norm += (double) v * v;
            }
            Cached row = new Cached(Arrays.copyOfRange(maps, i * size, (i + 1) * size), z, Math.sqrt(norm));
            cache.put(rows[missing[i]], row);
            out[missing[i]] = row;
        }
        return out;
    }

    @Override
    public void close() {
        net.close();
    }
}
