package org.falab.learning.train;

import java.util.Optional;

/**
 * Asks a run to stop between two steps: when it is cancelled, or when its trainer must give it back (SIGTERM). Read
 * on the training thread after every step and its callbacks ({@code onStep}, {@code onProbe}), and again after an
 * epoch's end ({@code onEpoch}, {@code onCheckpoint}), so a run stops within one step of a request, or one
 * evaluation; it must be cheap and must not throw (a flag set by another thread is the usual implementation).
 */
@FunctionalInterface
public interface StopSignal {

    /** Never asks to stop. */
    StopSignal NEVER = Optional::empty;

    /** Called after every step and its callbacks; empty = go on. */
    Optional<StopRequest> check();
}
