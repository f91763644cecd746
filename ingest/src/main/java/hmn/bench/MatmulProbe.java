package hmn.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hmn.runtime.onnx.OnnxGraphBuilder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The machine's float32 matrix-multiply rate, the bound a convolutional network's forward is measured against: a
 * square {@code n x n} product through ONNX Runtime's MatMul (its MLAS kernels, the ones its convolutions use), on
 * {@code threads} threads, timed after warm-up.
 */
final class MatmulProbe {
    private MatmulProbe() {}

    /** GFLOP/s (2 n^3 floating-point operations per product) over about {@code seconds} of products. */
    static double gflops(int n, int threads, double seconds) {
        SplittableRandom random = new SplittableRandom(3);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
            b[i] = (float) random.nextGaussian();
        }
        OnnxGraphBuilder g = new OnnxGraphBuilder("matmul").input("a", (long) n, (long) n);
        g.node("MatMul", List.of("a", g.initializer("b", new long[] {n, n}, b)), "c");
        byte[] model = g.output("c", (long) n, (long) n).toModel();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            try (OrtSession session = env.createSession(model, options);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {n, n})) {
                for (int i = 0; i < 2; i++) {
                    session.run(Map.of("a", x)).close();
                }
                long products = 0;
                long start = System.nanoTime();
                long end = start + (long) (seconds * 1e9);
                while (System.nanoTime() < end) {
                    session.run(Map.of("a", x)).close();
                    products++;
                }
                return 2.0 * n * n * n * products / ((System.nanoTime() - start) / 1e9) / 1e9;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the matrix-multiply probe", e);
        }
    }
}
