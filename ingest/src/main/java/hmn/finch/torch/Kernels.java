package hmn.finch.torch;

import hmn.finch.DotKernel;
import hmn.finch.JavaDotKernel;

/** Picks where FINCH's dot products run. */
public final class Kernels {
    private static volatile String fallbackReason;

    private Kernels() {}

    /** libtorch (through DJL) when its engine loads, else plain Java (slower, same partitions up to near-ties). */
    public static DotKernel fastest() {
        if (Boolean.getBoolean("hmn.finch.javaKernel")) {
            return new JavaDotKernel();
        }
        try {
            return TorchDotKernel.start();
        } catch (RuntimeException | LinkageError e) {
            fallbackReason = String.valueOf(e.getMessage());
            return new JavaDotKernel();
        }
    }

    /** Why the last {@link #fastest()} fell back to Java, or null. */
    public static String fallbackReason() {
        return fallbackReason;
    }
}
