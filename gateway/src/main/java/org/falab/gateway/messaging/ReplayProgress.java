package org.falab.gateway.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import org.apache.kafka.common.TopicPartition;

/**
 * Whether the replay has caught up with the end offsets it saw when it started, and how long that took. Plain Java,
 * thread-safe: the replay thread writes, the readiness check and the metrics read.
 *
 * <p>The targets are the read_committed end offsets (the last stable offsets) of every replayed partition, taken
 * once at startup (or as soon as the broker first answered). The replay has caught up when its consumer's position
 * on every partition with records has reached its target. Positions, not the offsets of the records applied: a
 * transaction's commit marker and an aborted transaction's records take offsets that no record delivered to a
 * read_committed consumer has. The replay thread applies every record a poll returned before it asks for the
 * positions, so caught up means every record below the targets is in the view.
 */
public final class ReplayProgress {

    private final long startNanos = System.nanoTime();
    private volatile Map<TopicPartition, Long> targets;
    private volatile long remaining = -1;
    private volatile Duration catchUp;

    /** Whether the targets were taken. */
    public boolean hasTargets() {
        return targets != null;
    }

    /** Sets the targets, once; later calls are ignored (the targets are those seen at startup). */
    public synchronized void target(Map<TopicPartition, Long> endOffsets) {
        if (targets == null) {
            targets = Map.copyOf(endOffsets);
            remaining = endOffsets.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Checks the consumer's positions against the targets; records the catch-up time the first time every target
     * is reached. A partition with a target above 0 that is not assigned (yet) is not caught up.
     *
     * @param assigned the partitions the consumer holds now
     * @param position the consumer's position on an assigned partition
     * @return whether the replay has caught up
     */
    public boolean check(Set<TopicPartition> assigned, ToLongFunction<TopicPartition> position) {
        if (catchUp != null) {
            return true;
        }
        Map<TopicPartition, Long> goal = targets;
        if (goal == null) {
            return false;
        }
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> target : goal.entrySet()) {
            if (target.getValue() <= 0) {
                continue;
            }
            long at = assigned.contains(target.getKey()) ? position.applyAsLong(target.getKey()) : 0;
            behind += Math.max(0, target.getValue() - at);
        }
        remaining = behind;
        if (behind == 0) {
            catchUp = Duration.ofNanos(System.nanoTime() - startNanos);
            return true;
        }
        return false;
    }

    public boolean caughtUp() {
        return catchUp != null;
    }

    /** From the start of the replay to the moment it caught up; null before. */
    public Duration catchUpTime() {
        return catchUp;
    }

    /** Offsets still to read up to the targets at the last check; -1 before the targets were taken. */
    public long remaining() {
        return remaining;
    }

    /** How many partitions the targets cover; 0 before they were taken. */
    public int partitions() {
        Map<TopicPartition, Long> goal = targets;
        return goal == null ? 0 : goal.size();
    }
}
