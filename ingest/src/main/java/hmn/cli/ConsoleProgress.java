package hmn.cli;

import hmn.finch.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A {@link Progress} shown as a progress bar (with rate and ETA) on stderr, for work of more than a few steps. */
final class ConsoleProgress implements Progress {
    private static final long MIN_STEPS = 16;
    private ProgressBar bar;

    @Override
    public synchronized void start(String task, long total) {
        end();
        if (total >= MIN_STEPS) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .showSpeed().setUpdateIntervalMillis(500).build();
        }
    }

    @Override
    public synchronized void step(long done) {
        if (bar != null) {
            bar.stepBy(done);
        }
    }

    @Override
    public synchronized void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
