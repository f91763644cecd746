package hmn.bench;

import hmn.activations.ActivationRun;
import hmn.activations.ActivationStore;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.images.PilResize;
import hmn.images.RgbImage;
import hmn.images.UnreadableImageException;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.runtime.ActivationModel;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The camera-photo case of {@code hmn bench activations --photos N}: on generated W x H JPEGs, what one image costs
 * in each part (decode, exact resize/crop/normalise, forward at the chosen batch and threads), the end-to-end rate
 * with decoding on its own threads (full decode and the opt-in reduced-resolution decode), each part's share of the
 * wall time, and how much the reduced decode changes the activations.
 */
final class PhotoBench {
    private final ActivationModel net;
    private final ImageNetPreprocessing preprocessing;
    private final int batch;
    private final int decodeThreads;
    private final PrintWriter w;

    PhotoBench(ActivationModel net, ImageNetPreprocessing preprocessing, int batch, int decodeThreads, PrintWriter w) {
        this.net = net;
        this.preprocessing = preprocessing;
        this.batch = batch;
        this.decodeThreads = decodeThreads;
        this.w = w;
    }

    void run(Path dir, List<String> photos) throws Exception {
        ImageDecoder full = ImageDecoder.defaults();
        ImageDecoder fast = ImageDecoder.builder()
                .reducedDecodeShorterSide(2 * preprocessing.resizeShorter())
                .build();
        long bytes = 0;
        for (String p : photos) {
            bytes += Files.size(dir.resolve(p));
        }
        w.printf(
                Locale.ROOT,
                "photos: %d JPEGs, %.1f MB on average; load average %.1f%n",
                photos.size(),
                bytes / 1e6 / photos.size(),
                load());

        // each part alone, one image at a time on this thread
        float[] tensor = new float[preprocessing.tensorSize()];
        double[][] fullParts = parts(full, dir, photos, tensor);
        double[][] fastParts = parts(fast, dir, photos, tensor);
        double forward = forwardMillisPerImage();
        double fullMs = median(fullParts[0]) + median(fullParts[1]);
        double fastMs = median(fastParts[0]) + median(fastParts[1]);
        w.printf(
                Locale.ROOT,
                "one thread, median per photo: full decode %.0f ms + exact resize/crop/normalise %.0f ms"
                        + " = %.0f ms; reduced decode %.0f ms + %.0f ms = %.0f ms%n",
                median(fullParts[0]),
                median(fullParts[1]),
                fullMs,
                median(fastParts[0]),
                median(fastParts[1]),
                fastMs);
        w.printf(
                Locale.ROOT,
                "(resizing the whole photo, as before the crop-only resize: %.0f ms full, %.0f ms" + " reduced)%n",
                median(fullParts[2]),
                median(fastParts[2]));
        w.printf(
                Locale.ROOT,
                "forward, batch %d: %.0f ms per image; decode+preprocess / forward = %.2f (full), %.2f"
                        + " (reduced)%n",
                batch,
                forward,
                fullMs / forward,
                fastMs / forward);

        // end to end: decoding threads ahead of the model, as hmn activations runs
        Path out = Files.createTempDirectory("hmn-bench-photos-out");
        try {
            Map<String, FloatMatrix> fullActs = endToEnd("full decode", full, dir, photos, out.resolve("full"));
            Map<String, FloatMatrix> fastActs = endToEnd("reduced decode", fast, dir, photos, out.resolve("fast"));
            for (String layer : net.layers().keySet()) {
                compare(layer, fullActs.get(layer), fastActs.get(layer));
            }
        } finally {
            BenchImages.delete(out);
        }
    }

    private double[][] parts(ImageDecoder decoder, Path dir, List<String> photos, float[] tensor)
            throws UnreadableImageException {
        double[] decode = new double[photos.size()];
        double[] prepare = new double[photos.size()];
        double[] wholeResize = new double[photos.size()];
        decoder.decode(dir.resolve(photos.get(0))); // warm-up
        for (int i = 0; i < photos.size(); i++) {
            long t0 = System.nanoTime();
            RgbImage rgb = decoder.decode(dir.resolve(photos.get(i)));
            long t1 = System.nanoTime();
            preprocessing.apply(rgb, tensor, 0, net.channelsLastInput());
            long t2 = System.nanoTime();
            int[] size = preprocessing.resizedSize(rgb.width(), rgb.height());
            PilResize.resize(rgb, size[0], size[1]);
            long t3 = System.nanoTime();
            decode[i] = (t1 - t0) / 1e6;
            prepare[i] = (t2 - t1) / 1e6;
            wholeResize[i] = (t3 - t2) / 1e6;
        }
        return new double[][] {decode, prepare, wholeResize};
    }

    private double forwardMillisPerImage() {
        float[] input = new float[batch * preprocessing.tensorSize()];
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        net.activations(input, batch); // warm-up
        net.activations(input, batch);
        int rounds = 3;
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            net.activations(input, batch);
        }
        return (System.nanoTime() - t0) / 1e6 / rounds / batch;
    }

    private Map<String, FloatMatrix> endToEnd(
            String what, ImageDecoder decoder, Path dir, List<String> photos, Path out) {
        Map<String, Object> record = Map.of("bench", what);
        long cpu0 = processCpuNanos();
        ActivationRun.Summary s;
        try (ActivationStore store = ActivationStore.open(out, net.layers(), record)) {
            s = ActivationRun.builder()
                    .model(net)
                    .preprocessing(preprocessing)
                    .decoder(decoder)
                    .batchSize(batch)
                    .decodeThreads(decodeThreads)
                    .progress(false)
                    .build()
                    .run(dir, photos, store);
        }
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        w.printf(
                Locale.ROOT,
                "end to end, %s, %d decoding thread(s): %.2f images/s (%d photos in %.1f s, %.1f s of"
                        + " CPU; load %.1f); forward %.1f s (%.0f%%), waiting for decode %.1f s (%.0f%%), write %.2f s;"
                        + " decode+preprocess %.1f s of thread time (%.0f%% of the decoding threads' wall time)%n",
                what,
                decodeThreads,
                s.imagesPerSecond(),
                s.stored(),
                s.seconds(),
                cpu,
                load(),
                s.forwardSeconds(),
                100 * s.forwardSeconds() / s.seconds(),
                s.waitSeconds(),
                100 * s.waitSeconds() / s.seconds(),
                s.writeSeconds(),
                s.decodeSeconds(),
                100 * s.decodeSeconds() / (s.seconds() * decodeThreads));
        Map<String, FloatMatrix> acts = new LinkedHashMap<>();
        for (String layer : net.layers().keySet()) {
            acts.put(layer, Npy.read(out.resolve(layer + ".npy")));
        }
        return acts;
    }

    /**
     * Reduced against full decode, per image: max |difference| / max |full value| (the error relative to the row's
     * scale), its mean over the row's values (mean |difference| / mean |full value|), and the Jaccard overlap of the
     * top-10% activated sets.
     */
    private void compare(String layer, FloatMatrix full, FloatMatrix fast) {
        int n = full.rows();
        double[] maxRel = new double[n];
        double[] meanRel = new double[n];
        double[] jaccard = new double[n];
        for (int r = 0; r < n; r++) {
            float[] a = full.row(r);
            float[] b = fast.row(r);
            double maxDiff = 0;
            double maxAbs = 0;
            double sumDiff = 0;
            double sumAbs = 0;
            for (int c = 0; c < a.length; c++) {
                double d = Math.abs(a[c] - b[c]);
                maxDiff = Math.max(maxDiff, d);
                maxAbs = Math.max(maxAbs, Math.abs(a[c]));
                sumDiff += d;
                sumAbs += Math.abs(a[c]);
            }
            maxRel[r] = maxAbs > 0 ? maxDiff / maxAbs : 0;
            meanRel[r] = sumAbs > 0 ? sumDiff / sumAbs : 0;
            jaccard[r] = jaccard(top(a), top(b));
        }
        w.printf(
                Locale.ROOT,
                "reduced vs full decode, %s (%d images): max|diff|/max|full| mean %.4f, max %.4f;"
                        + " mean|diff|/mean|full| mean %.4f, max %.4f; top-10%% set Jaccard mean %.3f, min %.3f%n",
                layer,
                n,
                mean(maxRel),
                max(maxRel),
                mean(meanRel),
                max(meanRel),
                mean(jaccard),
                min(jaccard));
    }

    private static boolean[] top(float[] row) {
        int k = Math.max(1, (int) Math.floor(0.10 * row.length));
        Integer[] order = new Integer[row.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> row[y] != row[x] ? Float.compare(row[y], row[x]) : Integer.compare(x, y));
        boolean[] in = new boolean[row.length];
        for (int i = 0; i < k; i++) {
            in[order[i]] = true;
        }
        return in;
    }

    private static double jaccard(boolean[] a, boolean[] b) {
        int both = 0;
        int either = 0;
        for (int i = 0; i < a.length; i++) {
            both += a[i] && b[i] ? 1 : 0;
            either += a[i] || b[i] ? 1 : 0;
        }
        return either == 0 ? 1 : (double) both / either;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
