package hmn.language.llm;

import java.time.Duration;

/** Waits between retries; a seam so tests can see the waits the policy asked for. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
