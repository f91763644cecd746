package hmn.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The matrix-multiply bound of this machine as ONNX Runtime reaches it: the rate of one large float MatMul (n x n
 * by n x n), the ceiling that convolutions, which ONNX Runtime runs as matrix multiplies, approach. Benchmarks report
 * their rate as a share of it.
 */
public final class GemmPeak {
    private GemmPeak() {}

    /** GFLOP/s (2 n^3 flops a multiply) over about {@code seconds}, after one warm-up multiply. */
    public static double gflops(int n, int threads, double seconds) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        SplittableRandom random = new SplittableRandom(1);
        float[] b = new float[n * n];
        float[] a = new float[n * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
            a[i] = (float) random.nextGaussian();
        }
        OnnxGraphBuilder g = new OnnxGraphBuilder("gemm").input("a", (long) n, (long) n);
        g.node("MatMul", java.util.List.of("a", g.initializer("b", new long[] {n, n}, b)), "c");
        byte[] model = g.output("c", (long) n, (long) n).toModel();
        try {
            try (OrtSession session = Sessions.create(env, model, threads);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {n, n})) {
                session.run(Map.of("a", x)).close();
                long start = System.nanoTime();
                long deadline = start + (long) (seconds * 1e9);
                int runs = 0;
                do {
                    session.run(Map.of("a", x)).close();
                    runs++;
                } while (System.nanoTime() < deadline);
                return 2.0 * n * n * (double) n * runs / ((System.nanoTime() - start) / 1e9) / 1e9;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the MatMul: " + e.getMessage(), e);
        }
    }
}
