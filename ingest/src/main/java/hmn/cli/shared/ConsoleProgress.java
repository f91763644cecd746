package hmn.cli.shared;

import hmn.finch.Progress;
import me.tongfei.progressbar.ProgressBar;

/** A {@link Progress} shown as a progress bar (with rate and ETA) on stderr, for work of more than a few steps. */
public final class ConsoleProgress implements Progress {
    private static final long MIN_STEPS = 16;
    private ProgressBar bar;

    @Override
    public synchronized void start(String task, long total) {
        end();
        if (total >= MIN_STEPS) {
            bar = hmn.progress.ProgressBars.of(task, total);
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
