package hmn.bench;

import hmn.activations.ActivationRun;
import hmn.activations.ActivationStore;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.runtime.ActivationModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code hmn bench activations --memory-images N}: runs the activation stage over N image files (hard links to a few
 * distinct generated JPEGs, so N can be large without the disk) into a real activations directory, and every K
 * images prints the process's resident size and the Java heap in use after a full GC, then the growth between the
 * first sample after warm-up and the last.
 */
final class MemoryBench {
    private final ActivationModel net;
    private final ImageNetPreprocessing preprocessing;
    private final int batch;
    private final int decodeThreads;
    private final long every;
    private final PrintWriter w;

    MemoryBench(
            ActivationModel net,
            ImageNetPreprocessing preprocessing,
            int batch,
            int decodeThreads,
            long every,
            PrintWriter w) {
        this.net = net;
        this.preprocessing = preprocessing;
        this.batch = batch;
        this.decodeThreads = decodeThreads;
        this.every = every;
        this.w = w;
    }

    /** Lays out {@code count} links (1,000 a folder) to the {@code distinct} images of {@code source}. */
    static List<String> link(Path source, List<String> distinct, Path dir, int count) {
        List<String> names = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                String name = String.format("%03d/img-%06d.jpg", i / 1000, i);
                Path file = dir.resolve(name);
                Files.createDirectories(file.getParent());
                Files.createLink(file, source.resolve(distinct.get(i % distinct.size())));
                names.add(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out benchmark images in " + dir, e);
        }
        return names;
    }

    void run(Path dir, List<String> images) {
        Path out;
        try {
            out = Files.createTempDirectory("hmn-bench-memory-out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] next = {every};
        long start = System.nanoTime();
        List<double[]> samples = new ArrayList<>();
        w.printf(
                Locale.ROOT,
                "memory: %d images, batch %d, %d decoding thread(s), layers %s; load average %.1f%n",
                images.size(),
                batch,
                decodeThreads,
                net.layers().keySet(),
                PhotoBench.load());
        w.printf("%8s %9s %8s %9s %9s %6s%n", "images", "seconds", "img/s", "rss_MB", "heap_MB", "load");
        try (ActivationStore store = ActivationStore.open(out, net.layers(), java.util.Map.of("bench", "memory"))) {
            ActivationRun.builder()
                    .model(net)
                    .preprocessing(preprocessing)
                    .decoder(ImageDecoder.defaults())
                    .batchSize(batch)
                    .decodeThreads(decodeThreads)
                    .progress(false)
                    .afterBatch(stored -> {
                        if (stored >= next[0] || stored == images.size()) {
                            next[0] += every;
                            double seconds = (System.nanoTime() - start) / 1e9;
                            double[] s = {stored, seconds, rssBytes() / 1e6, heapAfterGc() / 1e6};
                            samples.add(s);
                            w.printf(
                                    Locale.ROOT,
                                    "%8d %9.1f %8.1f %9.0f %9.1f %6.1f%n",
                                    stored,
                                    seconds,
                                    stored / seconds,
                                    s[2],
                                    s[3],
                                    PhotoBench.load());
                            w.flush();
                        }
                    })
                    .build()
                    .run(dir, images, store);
        } finally {
            BenchImages.delete(out);
        }
        if (samples.size() >= 2) {
            double[] first = samples.get(0);
            double[] last = samples.get(samples.size() - 1);
            double maxRss = samples.stream().mapToDouble(s -> s[2]).max().orElse(0);
            double maxHeap = samples.stream().mapToDouble(s -> s[3]).max().orElse(0);
            w.printf(
                    Locale.ROOT,
                    "from %d to %d images: resident %+.0f MB (%.0f -> %.0f, max %.0f), heap after GC"
                            + " %+.1f MB (%.1f -> %.1f, max %.1f)%n",
                    (long) first[0],
                    (long) last[0],
                    last[2] - first[2],
                    first[2],
                    last[2],
                    maxRss,
                    last[3] - first[3],
                    first[3],
                    last[3],
                    maxHeap);
        }
    }

    /** The process's resident set size (VmRSS of /proc/self/status), or -1 where there is none. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The heap in use right after a full GC, as the collector recorded it (the heap pools' usage after the last
     * collection), so that what the decoding threads allocate meanwhile does not count.
     */
    private static long heapAfterGc() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            used += after != null ? after.getUsed() : 0;
        }
        return used;
    }
}
