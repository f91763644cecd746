package hmn.activations;

import hmn.images.CollectionFiles;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.images.ImageSource;
import hmn.images.RgbImage;
import hmn.images.UnreadableImageException;
import hmn.io.FloatMatrix;
import hmn.runtime.ActivationModel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;

/**
 * The activation stage: every file under an images directory is decoded and preprocessed on a pool of threads
 * (in order, a bounded window ahead) while the model runs batches on the calling thread; rows are streamed to an
 * {@link ActivationStore}. Unusable files are skipped with their reason and the run goes on.
 */
public final class ActivationRun {
    private final ActivationModel model;
    private final ImageDecoder decoder;
    private final ImageNetPreprocessing preprocessing;
    private final int batchSize;
    private final int decodeThreads;
    private final boolean progress;
    private final LongConsumer afterBatch;

    private ActivationRun(Builder b) {
        if (b.model == null || b.preprocessing == null) {
            throw new IllegalArgumentException("model and preprocessing are required");
        }
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + b.batchSize);
        }
        if (b.decodeThreads < 1) {
            throw new IllegalArgumentException("decode threads must be >= 1, got " + b.decodeThreads);
        }
        this.model = b.model;
        this.decoder = b.decoder;
        this.preprocessing = b.preprocessing;
        this.batchSize = b.batchSize;
        this.decodeThreads = b.decodeThreads;
        this.progress = b.progress;
        this.afterBatch = b.afterBatch;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private ActivationModel model;
        private ImageDecoder decoder = ImageDecoder.defaults();
        private ImageNetPreprocessing preprocessing;
        private int batchSize = 16;
        private int decodeThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        private boolean progress = true;
        private LongConsumer afterBatch = stored -> {};

        public Builder model(ActivationModel model) {
            this.model = model;
            return this;
        }

        public Builder decoder(ImageDecoder decoder) {
            this.decoder = decoder;
            return this;
        }

        public Builder preprocessing(ImageNetPreprocessing preprocessing) {
            this.preprocessing = preprocessing;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder decodeThreads(int threads) {
            this.decodeThreads = threads;
            return this;
        }

        public Builder progress(boolean show) {
            this.progress = show;
            return this;
        }

        /** Called on the model's thread after each batch is stored, with the images this run has stored so far. */
        public Builder afterBatch(LongConsumer listener) {
            this.afterBatch = listener;
            return this;
        }

        public ActivationRun build() {
            return new ActivationRun(this);
        }
    }

    /** An image left out, and why. */
    public record SkippedImage(String image, String reason) {}

    /**
     * What a run did: images stored by this run and by the run it resumed, images skipped (all, with reasons), and
     * where the time went (decode+preprocess summed over the decoding threads; forward and write on the main thread).
     */
    public record Summary(
            long stored,
            long resumed,
            List<SkippedImage> skipped,
            double seconds,
            double decodeSeconds,
            double forwardSeconds,
            double writeSeconds,
            double waitSeconds) {
        public double imagesPerSecond() {
            return seconds > 0 ? stored / seconds : 0;
        }

        /** Skip counts by kind of reason (the text before the first colon). */
        public Map<String, Long> skipCounts() {
            Map<String, Long> counts = new TreeMap<>();
            for (SkippedImage s : skipped) {
                int colon = s.reason().indexOf(':');
                String kind = colon > 0 ? s.reason().substring(0, colon) : s.reason();
                counts.merge(kind, 1L, Long::sum);
            }
            return counts;
        }
    }

    private record Prepared(String image, float[] tensor, String reason, long nanos) {}

    /** Runs over every image of {@code imagesDir} not yet in {@code store}. */
    public Summary run(Path imagesDir, ActivationStore store) {
        return run(imagesDir, CollectionFiles.ids(imagesDir), store);
    }

    /** Runs over the given images of {@code imagesDir} (relative paths) not yet in {@code store}. */
    public Summary run(Path imagesDir, List<String> all, ActivationStore store) {
        return run(ImageSource.folder(imagesDir), all, store);
    }

    /** Runs over the given images of {@code images} (ids) not yet in {@code store}. */
    public Summary run(ImageSource images, List<String> all, ActivationStore store) {
        Set<String> done = store.done();
        List<String> todo = all.stream().filter(i -> !done.contains(i)).toList();
        long start = System.nanoTime();
        long decodeNanos = 0;
        long forwardNanos = 0;
        long writeNanos = 0;
        long waitNanos = 0;
        long stored = 0;
        int perImage = preprocessing.tensorSize();
        boolean hwc = model.channelsLastInput();
        ExecutorService pool = Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, "hmn-decode");
            t.setDaemon(true);
            return t;
        });
        try (ProgressBar bar = progress
                ? hmn.progress.ProgressBars.of("activations", all.size(), " img", 1, all.size() - todo.size())
                : null) {
            Deque<Future<Prepared>> window = new ArrayDeque<>();
            int next = 0;
            int ahead = Math.max(batchSize * 2, decodeThreads * 2);
            float[] batch = new float[batchSize * perImage];
            List<String> names = new ArrayList<>();
            while (next < todo.size() || !window.isEmpty()) {
                while (next < todo.size() && window.size() < ahead) {
                    String image = todo.get(next++);
                    window.add(pool.submit(() -> prepare(images, image)));
                }
                long w0 = System.nanoTime();
                Prepared p = take(window.poll());
                waitNanos += System.nanoTime() - w0;
                decodeNanos += p.nanos();
                if (p.tensor() == null) {
                    store.skip(p.image(), p.reason());
                    if (bar != null) {
                        bar.step();
                    }
                } else {
                    System.arraycopy(p.tensor(), 0, batch, names.size() * perImage, perImage);
                    names.add(p.image());
                }
                if (names.size() == batchSize || (names.size() > 0 && next >= todo.size() && window.isEmpty())) {
                    long f0 = System.nanoTime();
                    Map<String, FloatMatrix> out = model.activations(batch, names.size());
                    long f1 = System.nanoTime();
                    store.append(names, out);
                    writeNanos += System.nanoTime() - f1;
                    forwardNanos += f1 - f0;
                    stored += names.size();
                    if (bar != null) {
                        bar.stepBy(names.size());
                    }
                    names.clear();
                    afterBatch.accept(stored);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<SkippedImage> skipped = store.skipped().stream()
                .map(line ->
                        new SkippedImage(line.substring(0, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1)))
                .toList();
        return new Summary(
                stored,
                store.resumedRows(),
                skipped,
                (System.nanoTime() - start) / 1e9,
                decodeNanos / 1e9,
                forwardNanos / 1e9,
                writeNanos / 1e9,
                waitNanos / 1e9);
    }

    private Prepared prepare(ImageSource images, String image) {
        long t0 = System.nanoTime();
        try {
            RgbImage rgb = images.decode(decoder, image);
            float[] tensor = new float[preprocessing.tensorSize()];
            preprocessing.apply(rgb, tensor, 0, model.channelsLastInput());
            return new Prepared(image, tensor, null, System.nanoTime() - t0);
        } catch (UnreadableImageException e) {
            return new Prepared(image, null, e.reason(), System.nanoTime() - t0);
        } catch (OutOfMemoryError e) {
            return new Prepared(
                    image,
                    null,
                    "too large to decode in memory: raise -Xmx or lower --max-pixels",
                    System.nanoTime() - t0);
        }
    }

    private static Prepared take(Future<Prepared> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("decoding failed unexpectedly", e.getCause());
        }
    }
}
