package hmn.runtime.torch;

import hmn.io.FloatMatrix;
import hmn.runtime.ActivationModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A libtorch forward that is trusted only once it has been proven on this CPU. libtorch 2.7.1 (DJL 0.36) gave
 * ResNet18's layer4 activations off by 19% on an AVX-512 machine in channels-last format, while its contiguous
 * format and ONNX Runtime were right: which oneDNN kernel runs depends on the CPU, so no format is right by
 * assumption.
 *
 * <p>The first batch of each new size is checked by a {@link Check} (e.g. the same batch through ONNX Runtime); the
 * candidates are tried fastest first and the first that passes is used from then on. A smaller batch is padded with
 * zero images to a proven size, so only proven shapes ever run. When no candidate passes, the forward fails with
 * {@link WrongNumbersException}: hmn never returns numbers that a check has refuted.
 *
 * <p>Input is CHW per image whatever the candidates want; channels-last candidates get it transposed.
 */
public final class CrossCheckedModel implements ActivationModel {
    /** Bound on max |a - b| / max |b| per layer and image, as the parity tests use for the engines. */
    public static final double TOLERANCE = 1e-4;

    private final List<Candidate> candidates;
    private final Check check;
    private final Consumer<String> notes;
    private int current;
    private int provenBatch;

    /** A forward to try, and the name its failures are reported under (e.g. "channels-last"). */
    public record Candidate(String name, ActivationModel model) {}

    /** Proves a candidate's result on one batch; returns null when it holds, else what was wrong. */
    public interface Check extends AutoCloseable {
        String disagreement(float[] chwInput, int count, Map<String, FloatMatrix> result);

        @Override
        default void close() {}
    }

    /** Thrown when every candidate gave numbers that the check refuted. */
    public static final class WrongNumbersException extends IllegalStateException {
        public WrongNumbersException(String message) {
            super(message);
        }
    }

    public CrossCheckedModel(List<Candidate> candidates, Check check, Consumer<String> notes) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("at least one candidate is needed");
        }
        this.candidates = List.copyOf(candidates);
        this.check = check;
        this.notes = notes;
    }

    /** The candidate in use (after the first batch: the one proven on this CPU). */
    public String format() {
        return candidates.get(current).name();
    }

    /**
     * The check against a reference model's activations on the same input (within {@link #TOLERANCE}); the reference
     * is built on the first check and closed with the check.
     */
    public static Check against(Supplier<ActivationModel> referenceFactory) {
        return new Check() {
            private ActivationModel reference;

            @Override
            public String disagreement(float[] chwInput, int count, Map<String, FloatMatrix> result) {
                if (reference == null) {
                    reference = referenceFactory.get();
                }
                float[] input =
                        reference.channelsLastInput() ? toHwc(chwInput, count, reference.inputShape()) : chwInput;
                return compare(result, reference.activations(input, count), "ONNX Runtime");
            }

            @Override
            public void close() {
                if (reference != null) {
                    reference.close();
                }
            }
        };
    }

    /** Where {@code actual} and {@code expected} differ beyond {@link #TOLERANCE} (layer, image, error), or null. */
    public static String compare(Map<String, FloatMatrix> actual, Map<String, FloatMatrix> expected, String by) {
        for (Map.Entry<String, FloatMatrix> e : expected.entrySet()) {
            FloatMatrix got = actual.get(e.getKey());
            FloatMatrix want = e.getValue();
            for (int r = 0; r < want.rows(); r++) {
                double error = relativeError(got.row(r), want.row(r));
                if (!(error <= TOLERANCE)) {
                    return String.format(
                            "%s of image %d is off by %.3g (max |a - b| / max |b|; bound %.0e) against %s",
                            e.getKey(), r, error, TOLERANCE, by);
                }
            }
        }
        return null;
    }

    /** max |a - b| / max |b|; NaN anywhere makes it NaN. */
    static double relativeError(float[] actual, float[] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            diff = Math.max(diff, d);
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    @Override
    public Map<String, FloatMatrix> activations(float[] input, int count) {
        if (count > provenBatch) {
            return prove(input, count);
        }
        if (count == provenBatch) {
            return run(candidates.get(current), input, count);
        }
        int per = perImage();
        float[] padded = new float[provenBatch * per];
        System.arraycopy(input, 0, padded, 0, count * per);
        Map<String, FloatMatrix> full = run(candidates.get(current), padded, provenBatch);
        full.replaceAll((layer, m) -> m.firstRows(count));
        return full;
    }

    private Map<String, FloatMatrix> prove(float[] input, int count) {
        List<String> failures = new ArrayList<>();
        for (int i = current; i < candidates.size(); i++) {
            Map<String, FloatMatrix> result = run(candidates.get(i), input, count);
            String wrong = check.disagreement(input, count, result);
            if (wrong == null) {
                if (i != current) {
                    notes.accept("libtorch's " + String.join("; ", failures) + " on this CPU; using its "
                            + candidates.get(i).name() + " forward, which agrees");
                }
                current = i;
                provenBatch = count;
                return result;
            }
            failures.add(candidates.get(i).name() + " forward gives wrong numbers at batch " + count + ": " + wrong);
        }
        throw new WrongNumbersException("libtorch gives wrong activations on this CPU (" + String.join("; ", failures)
                + "); run with --engine onnxruntime, or set ONEDNN_MAX_CPU_ISA=AVX2 in the environment");
    }

    private int perImage() {
        int[] s = inputShape();
        return s[0] * s[1] * s[2];
    }

    private Map<String, FloatMatrix> run(Candidate c, float[] chw, int count) {
        float[] input = c.model().channelsLastInput() ? toHwc(chw, count, inputShape()) : chw;
        return new LinkedHashMap<>(c.model().activations(input, count));
    }

    /** CHW images, one after another, as HWC. */
    static float[] toHwc(float[] chw, int count, int[] shape) {
        int channels = shape[0];
        int plane = shape[1] * shape[2];
        int per = channels * plane;
        float[] out = new float[count * per];
        for (int n = 0; n < count; n++) {
            int base = n * per;
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    out[base + p * channels + c] = chw[base + c * plane + p];
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, Integer> layers() {
        return candidates.get(0).model().layers();
    }

    @Override
    public String provenance() {
        return candidates.get(0).model().provenance();
    }

    @Override
    public int[] inputShape() {
        return candidates.get(0).model().inputShape();
    }

    @Override
    public boolean channelsLastInput() {
        return false;
    }

    @Override
    public List<String> availableLayers() {
        return candidates.get(0).model().availableLayers();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (Candidate c : candidates) {
            try {
                c.model().close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        try {
            check.close();
        } catch (Exception e) {
            failure = failure == null ? new IllegalStateException(e) : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
