package hmn.finch;

import java.lang.management.ManagementFactory;

/** Phase timings (wall and process CPU) on stderr when the system property {@code hmn.finch.trace} is true. */
final class Trace {
    private static final boolean ON = Boolean.getBoolean("hmn.finch.trace");
    private static volatile long cpuMark;

    private Trace() {}

    static long now() {
        if (ON) {
            cpuMark = cpu();
        }
        return System.nanoTime();
    }

    static void log(String phase, long since) {
        if (ON) {
            System.err.printf(
                    java.util.Locale.ROOT,
                    "  [finch] %s: %.3f s wall, %.3f s CPU%n",
                    phase,
                    (System.nanoTime() - since) / 1e9,
                    (cpu() - cpuMark) / 1e9);
        }
    }

    private static long cpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }
}
