package hmn.activations;

import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr, with rate and ETA. */
final class Progress {
    private Progress() {}

    static ProgressBar bar(String task, long max, String unit, long unitSize, long initial) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(unit, unitSize)
                .setSpeedUnit(ChronoUnit.SECONDS)
                .showSpeed()
                .startsFrom(initial, java.time.Duration.ZERO)
                .setUpdateIntervalMillis(500)
                .build();
    }
}
