package org.falab.trainer.queue;

import java.util.Optional;

import org.falab.learning.train.StopRequest;

/**
 * One attempt at a run by this trainer: its number (one past the run's recorded attempts, so a run taken again after
 * its trainer died or gave it back is a higher attempt), and the reasons it may have to stop. Once
 * the attempt has lost its claim on the run (its lock lapsed or a renewal failed), it publishes nothing more: another
 * attempt owns the run.
 */
public final class Attempt {

    private final String runId;
    private volatile int number;
    private final Cancellations cancellations;
    private volatile String lost;
    private volatile String givingBack;
    private volatile long fromStep;
    private volatile Integer epoch;
    private volatile Long step;
    private volatile Long totalSteps;
    private volatile boolean locked;
    private volatile long lockedUntilNanos;

    public Attempt(String runId, int number, Cancellations cancellations) {
        this.runId = runId;
        this.number = number;
        this.cancellations = cancellations;
    }

    public String runId() {
        return runId;
    }

    public int number() {
        return number;
    }

    /** Numbers the attempt once its run's earlier attempts are known, before it publishes anything. */
    public void numbered(int number) {
        this.number = number;
    }

    /** The claim on the run is gone; the training stops after its current step and publishes nothing more. */
    void lose(String reason) {
        if (lost == null) {
            lost = reason;
        }
    }

    /**
     * The run's lock holds until {@code nanoTime} ({@link System#nanoTime()}) unless renewed again. Past it the claim
     * is lost, whatever the queue thread is doing: a renewal can be waiting on a broker that is away.
     */
    void lockedUntil(long nanoTime) {
        lockedUntilNanos = nanoTime;
        locked = true;
    }

    private void checkLock() {
        if (locked && lost == null && System.nanoTime() - lockedUntilNanos > 0) {
            lose("the lock's duration passed without a confirmed renewal");
        }
    }

    /** The trainer is shutting down: checkpoint after the current step and give the run back. */
    void giveBack(String reason) {
        givingBack = reason;
    }

    /** Why the claim was lost, or null while this attempt owns the run. */
    public String lostReason() {
        checkLock();
        return lost;
    }

    /** Whether events and objects of this attempt may still be published. */
    public boolean owned() {
        checkLock();
        return lost == null;
    }

    /** Whether the run was cancelled, as far as this trainer has read. */
    public String cancelledReason() {
        return cancellations.reason(runId);
    }

    /** Asked by the training after every step: lost first (stop at once), then cancelled, then giving back. */
    public Optional<StopRequest> stopRequest() {
        checkLock();
        if (lost != null) {
            return Optional.of(new StopRequest("lost the claim on the run: " + lost, false));
        }
        String cancelled = cancelledReason();
        if (cancelled != null) {
            return Optional.of(new StopRequest(cancelled, false));
        }
        if (givingBack != null) {
            return Optional.of(new StopRequest(givingBack, true));
        }
        return Optional.empty();
    }

    /** The checkpoint step this attempt resumed from (0: the start). */
    public void startedFrom(long step) {
        fromStep = step;
    }

    public long fromStep() {
        return fromStep;
    }

    /** Where the training stands, for heartbeats. */
    public void at(Integer epoch, Long step, Long totalSteps) {
        this.epoch = epoch;
        this.step = step;
        this.totalSteps = totalSteps;
    }

    public Integer epoch() {
        return epoch;
    }

    public Long step() {
        return step;
    }

    public Long totalSteps() {
        return totalSteps;
    }
}
