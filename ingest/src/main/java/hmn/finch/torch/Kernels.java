package hmn.finch.torch;

import hmn.finch.DotKernel;
import hmn.finch.JavaDotKernel;
import hmn.finch.Selection;
import hmn.finch.UnitRows;
import java.util.SplittableRandom;

/** Picks where FINCH's dot products run. */
public final class Kernels {
    private static volatile String fallbackReason;

    private Kernels() {}

    /** libtorch (through DJL) when its engine loads, else plain Java (slower, same partitions up to near-ties). */
    public static DotKernel fastest() {
        if (Boolean.getBoolean("hmn.finch.javaKernel")) {
            return new JavaDotKernel();
        }
        TorchDotKernel torch;
        try {
            torch = TorchDotKernel.start();
        } catch (RuntimeException | LinkageError e) {
            fallbackReason = String.valueOf(e.getMessage());
            return new JavaDotKernel();
        }
        String wrong = disagreement(torch, new JavaDotKernel());
        if (wrong != null) {
            torch.close();
            fallbackReason = "libtorch's dot products are wrong on this CPU (" + wrong + ")";
            return new JavaDotKernel();
        }
        return torch;
    }

    /**
     * Proves a kernel on this CPU before use: its distances on seeded unit rows (float32 and float64, 384 wide as
     * MiniLM's) against the reference kernel's, within 1e-5 (float32) and 1e-12 (float64). Null when they agree.
     */
    static String disagreement(DotKernel kernel, DotKernel reference) {
        int n = 97;
        int d = 384;
        SplittableRandom random = new SplittableRandom(11);
        double[] values = new double[n * d];
        float[] floats = new float[n * d];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
            floats[i] = (float) values[i];
        }
        for (UnitRows rows : new UnitRows[] {UnitRows.ofFloats(n, d, floats), UnitRows.ofDoubles(n, d, values)}) {
            double bound = rows.isDouble() ? 1e-12 : 1e-5;
            Selection all = Selection.range(0, n);
            double[] got;
            double[] want;
            try (DotKernel.Loaded a = kernel.load(rows);
                    DotKernel.Loaded b = reference.load(rows)) {
                got = kernel.distances(a, all, a, all);
                want = reference.distances(b, all, b, all);
            }
            for (int i = 0; i < want.length; i++) {
                if (!(Math.abs(got[i] - want[i]) <= bound)) {
                    return (rows.isDouble() ? "float64" : "float32") + " distance " + i + ": " + got[i] + " instead of "
                            + want[i];
                }
            }
        }
        return null;
    }

    /** Why the last {@link #fastest()} fell back to Java, or null. */
    public static String fallbackReason() {
        return fallbackReason;
    }
}
