package hmn.progress;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bars of every long stage, in one style: on stderr, ASCII, with rate and ETA, redrawn in place on a
 * terminal and line by line otherwise. The null-safe helpers let a stage run with its bar switched off.
 */
public final class ProgressBars {
    private ProgressBars() {}

    /** A bar for {@code total} steps. */
    public static ProgressBar of(String task, long total) {
        return of(task, total, "", 1, 0);
    }

    /**
     * A bar for {@code total} steps counted in {@code unit}s of {@code unitSize} steps (e.g. " MiB", 1 << 20),
     * starting with {@code done} steps already done (a resumed run).
     */
    public static ProgressBar of(String task, long total, String unit, long unitSize, long done) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(
                        System.console() != null
                                ? new InteractiveConsoleProgressBarConsumer(System.err)
                                : new ConsoleProgressBarConsumer(System.err))
                .setSpeedUnit(ChronoUnit.SECONDS)
                .showSpeed()
                .setUpdateIntervalMillis(500);
        if (!unit.isEmpty()) {
            builder.setUnit(unit.startsWith(" ") ? unit : " " + unit, unitSize);
        }
        if (done > 0) {
            builder.startsFrom(done, Duration.ZERO);
        }
        return builder.build();
    }

    /** A bar, or null (no bar) when switched off or there is nothing to do. */
    public static ProgressBar optional(boolean enabled, String task, long total, String unit) {
        return enabled && total > 0 ? of(task, total, unit, 1, 0) : null;
    }

    public static void step(ProgressBar bar, long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    public static void close(ProgressBar bar) {
        if (bar != null) {
            bar.close();
        }
    }
}
