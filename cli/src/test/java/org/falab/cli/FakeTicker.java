package org.falab.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when the code under test sleeps. */
final class FakeTicker implements Ticker {

    long nanos;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        nanos += duration.toNanos();
    }

    double seconds() {
        return nanos / 1e9;
    }
}
