package org.falab.learning.train;

/**
 * How a training is run beyond its spec: where, from which checkpoint, how often it checkpoints between epoch ends,
 * how much memory it may need, when it stops early, and whether subnormal floats are flushed to zero. Only the last
 * changes the numbers a run computes (and only once values fall below 1.2e-38): a run with interval checkpoints, or
 * stopped and resumed, ends with the same parameters as one run straight through (on CPU).
 *
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} ({@link TrainingDevice}); null is {@code auto}
 * @param resumeFrom checkpoint bytes as a run's listener received them ({@link CheckpointData#bytes()}), of the
 *     same spec; null for a fresh start
 * @param checkpointEverySteps also checkpoint after every step whose number is a multiple of this (counted from the
 *     run's start, so a resumed run keeps the cadence); 0 = off
 * @param checkpointEverySeconds also checkpoint after the first step that ends this many seconds of training after
 *     the last checkpoint (or the start); 0 = off
 * @param memoryBudgetBytes refuse the run, before building its model, if {@link TrainingMemory#estimateBytes} is
 *     larger; 0 = unchecked
 * @param stop asked after every step whether to stop; null is {@link StopSignal#NEVER}
 * @param flushDenormals compute with subnormal floats flushed to zero, as {@code torch.set_flush_denormal(True)} does
 *     ({@link FlushDenormals}): much faster once a run saturates, and the same numbers wherever nothing is below
 *     1.2e-38; false leaves the thread's floating-point mode as it is
 */
public record TrainingOptions(String device, byte[] resumeFrom, long checkpointEverySteps,
        double checkpointEverySeconds, long memoryBudgetBytes, StopSignal stop, boolean flushDenormals) {

    /** Fills in null device and stop signal and checks the numbers. */
    public TrainingOptions {
        device = device == null ? "auto" : device;
        stop = stop == null ? StopSignal.NEVER : stop;
        if (checkpointEverySteps < 0) {
            throw new IllegalArgumentException("checkpointEverySteps must be >= 0, got " + checkpointEverySteps);
        }
        if (!(checkpointEverySeconds >= 0) || Double.isInfinite(checkpointEverySeconds)) {
            throw new IllegalArgumentException("checkpointEverySeconds must be finite and >= 0, got "
                    + checkpointEverySeconds);
        }
        if (memoryBudgetBytes < 0) {
            throw new IllegalArgumentException("memoryBudgetBytes must be >= 0, got " + memoryBudgetBytes);
        }
    }

    /** No resume, no interval checkpoints, no budget, never stops; subnormals flushed. */
    public static TrainingOptions defaults(String device) {
        return new TrainingOptions(device, null, 0, 0, 0, StopSignal.NEVER, true);
    }

    /** The same options on another device. */
    public TrainingOptions onDevice(String device) {
        return new TrainingOptions(device, resumeFrom, checkpointEverySteps, checkpointEverySeconds, memoryBudgetBytes,
                stop, flushDenormals);
    }

    /** The same options resuming from a checkpoint (null: a fresh start). */
    public TrainingOptions resumingFrom(byte[] checkpoint) {
        return new TrainingOptions(device, checkpoint, checkpointEverySteps, checkpointEverySeconds, memoryBudgetBytes,
                stop, flushDenormals);
    }

    /** The same options checkpointing after every {@code steps}-th step too (0: off). */
    public TrainingOptions checkpointingEverySteps(long steps) {
        return new TrainingOptions(device, resumeFrom, steps, checkpointEverySeconds, memoryBudgetBytes,
                stop, flushDenormals);
    }

    /** The same options checkpointing once {@code seconds} of training passed since the last checkpoint (0: off). */
    public TrainingOptions checkpointingEverySeconds(double seconds) {
        return new TrainingOptions(device, resumeFrom, checkpointEverySteps, seconds, memoryBudgetBytes,
                stop, flushDenormals);
    }

    /** The same options with a memory budget (0: unchecked). */
    public TrainingOptions withMemoryBudget(long bytes) {
        return new TrainingOptions(device, resumeFrom, checkpointEverySteps, checkpointEverySeconds, bytes,
                stop, flushDenormals);
    }

    /** The same options stopping when the signal asks. */
    public TrainingOptions stoppingOn(StopSignal signal) {
        return new TrainingOptions(device, resumeFrom, checkpointEverySteps, checkpointEverySeconds, memoryBudgetBytes,
                signal, flushDenormals);
    }

    /** The same options with subnormals flushed to zero or not. */
    public TrainingOptions flushingDenormals(boolean flush) {
        return new TrainingOptions(device, resumeFrom, checkpointEverySteps, checkpointEverySeconds, memoryBudgetBytes,
                stop, flush);
    }

    /** Says how many checkpoint bytes there are rather than printing the array's identity. */
    @Override
    public String toString() {
        return "TrainingOptions[device=" + device + ", resumeFrom=" + (resumeFrom == null ? "none"
                : resumeFrom.length + " bytes") + ", checkpointEverySteps=" + checkpointEverySteps
                + ", checkpointEverySeconds=" + checkpointEverySeconds + ", memoryBudgetBytes=" + memoryBudgetBytes
                + ", flushDenormals=" + flushDenormals + "]";
    }
}
