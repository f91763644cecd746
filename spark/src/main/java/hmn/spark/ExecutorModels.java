package hmn.spark;

import hmn.activations.ActivationStage;
import hmn.io.FloatMatrix;
import hmn.runtime.ActivationModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models under study loaded in this JVM, one per set of options: a Spark executor loads its model once and
 * every task (every partition) it runs reuses it. The tasks of one executor run their batches through the model one
 * at a time (the runtimes keep per-model buffers; each forward already uses every core the engine is given), while
 * their decoding overlaps.
 */
final class ExecutorModels {
    private static final Map<ActivationStage.Options, ActivationStage.Loaded> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorModels() {}

    /** The model these options describe, loaded on first use in this JVM. */
    static ActivationStage.Loaded get(ActivationStage.Options options) {
        return MODELS.computeIfAbsent(options, o -> {
            LOADS.incrementAndGet();
            ActivationStage.Loaded loaded = o.build().load();
            return new ActivationStage.Loaded(
                    loaded.name(),
                    new OneAtATime(loaded.net()),
                    loaded.preprocessing(),
                    loaded.decoder(),
                    loaded.run(),
                    loaded.fallbackReason());
        });
    }

    /** A model whose batches run one at a time, whatever the threads calling it. */
    private record OneAtATime(ActivationModel net) implements ActivationModel {
        @Override
        public Map<String, Integer> layers() {
            return net.layers();
        }

        @Override
        public String provenance() {
            return net.provenance();
        }

        @Override
        public int[] inputShape() {
            return net.inputShape();
        }

        @Override
        public boolean channelsLastInput() {
            return net.channelsLastInput();
        }

        @Override
        public Map<String, FloatMatrix> activations(float[] input, int count) {
            synchronized (this) {
                return net.activations(input, count);
            }
        }

        @Override
        public List<String> availableLayers() {
            return net.availableLayers();
        }

        @Override
        public void close() {
            net.close();
        }
    }

    /** How many times a model was loaded in this JVM (for the tests: once per options, whatever the tasks). */
    static int loads() {
        return LOADS.get();
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MODELS.values().forEach(ActivationStage.Loaded::close)));
    }
}
