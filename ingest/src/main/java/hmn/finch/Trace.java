package hmn.finch;

/** Phase timings on stderr when the system property {@code hmn.finch.trace} is true (for profiling). */
final class Trace {
    private static final boolean ON = Boolean.getBoolean("hmn.finch.trace");

    private Trace() {}

    static long now() {
        return System.nanoTime();
    }

    static void log(String phase, long since) {
        if (ON) {
            System.err.printf(java.util.Locale.ROOT, "  [finch] %s: %.3f s%n", phase, (System.nanoTime() - since) / 1e9);
        }
    }

    static void log(String message) {
        if (ON) {
            System.err.println("  [finch] " + message);
        }
    }
}
