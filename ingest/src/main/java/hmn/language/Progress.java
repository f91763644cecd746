package hmn.language;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr, with rate and ETA; null (no bar) when switched off or there is nothing to do. */
public final class Progress {
    private Progress() {}

    public static ProgressBar bar(boolean enabled, String task, long total, String unit) {
        if (!enabled || total <= 0) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(System.console() != null
                        ? new InteractiveConsoleProgressBarConsumer(System.err)
                        : new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(500)
                .showSpeed()
                .build();
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
