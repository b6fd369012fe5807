package org.falab.cli;

import java.time.Duration;

/** The clock and the sleep of the waiting loops; tests pass a fake one that advances on sleep. */
public interface Ticker {

    /** Monotonic nanoseconds. */
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    /** The system's monotonic clock and {@link Thread#sleep}. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };
}
