package org.falab.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When the replay counts as caught up: positions, not records, on every partition that had records. */
class ReplayProgressTest {

    private static final TopicPartition REQUESTS = new TopicPartition("falab.run-requests", 0);
    private static final TopicPartition EVENTS = new TopicPartition("falab.run-events", 0);
    private static final TopicPartition EMPTY = new TopicPartition("falab.snapshots", 0);

    @Test
    void notCaughtUpBeforeTheTargetsAreTaken() {
        ReplayProgress progress = new ReplayProgress();
        assertThat(progress.check(Set.of(REQUESTS), tp -> 1_000)).isFalse();
        assertThat(progress.caughtUp()).isFalse();
        assertThat(progress.remaining()).isEqualTo(-1);
    }

    @Test
    void caughtUpWhenEveryPositionReachedItsTarget() {
        ReplayProgress progress = new ReplayProgress();
        progress.target(Map.of(REQUESTS, 10L, EVENTS, 20L, EMPTY, 0L));
        Map<TopicPartition, Long> positions = new HashMap<>(Map.of(REQUESTS, 10L, EVENTS, 19L));

        assertThat(progress.check(Set.of(REQUESTS, EVENTS), positions::get)).isFalse();
        assertThat(progress.remaining()).isEqualTo(1);
        // a commit marker after the last record: the position passes the last record's offset + 1
        positions.put(EVENTS, 21L);
        assertThat(progress.check(Set.of(REQUESTS, EVENTS), positions::get)).as("the empty partition needs nothing")
                .isTrue();
        assertThat(progress.caughtUp()).isTrue();
        assertThat(progress.catchUpTime()).isNotNull();
        assertThat(progress.remaining()).isZero();
    }

    @Test
    void aPartitionNotAssignedYetIsNotCaughtUp() {
        ReplayProgress progress = new ReplayProgress();
        progress.target(Map.of(REQUESTS, 10L, EVENTS, 20L));
        assertThat(progress.check(Set.of(REQUESTS), tp -> 100L)).isFalse();
        assertThat(progress.remaining()).isEqualTo(20);
    }

    @Test
    void theTargetsAreThoseOfStartupAndNoPartitionsMeansNothingToCatchUp() {
        ReplayProgress progress = new ReplayProgress();
        progress.target(Map.of());
        progress.target(Map.of(REQUESTS, 10L));
        assertThat(progress.partitions()).isZero();
        assertThat(progress.check(Set.of(), tp -> 0L)).isTrue();
    }
}
