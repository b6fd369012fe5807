package org.falab.trainer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Which earlier attempts count against a run: those in a row that died or failed without getting further. */
class AttemptLedgerTest {

    /** The object store as a map: the ledger's collaborator, not what is tested here. */
    private static final class InMemoryStore extends DurableObjectStore {
        final Map<String, byte[]> objects = new TreeMap<>();

        InMemoryStore() {
            super(null);
        }

        @Override
        public void put(String key, byte[] bytes, String contentType) {
            objects.put(key, bytes);
        }

        @Override
        public Optional<byte[]> readIfPresent(String key, long maxBytes) {
            return Optional.ofNullable(objects.get(key));
        }

        @Override
        public List<String> list(String prefix) {
            return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        }
    }

    private final InMemoryStore store = new InMemoryStore();
    private final AttemptLedger ledger = new AttemptLedger(store);

    @Test
    void theFirstAttemptHasNoFailuresBeforeIt() {
        assertThat(ledger.failedInARow("run-a", 1, 0)).isZero();
    }

    @Test
    void attemptsThatDiedFromTheSameCheckpointCountAndOneWithoutARecordToo() {
        ledger.started("run-a", 1, 0);
        ledger.started("run-a", 2, 0);
        // attempt 3 died before it wrote its record
        assertThat(ledger.failedInARow("run-a", 4, 0)).isEqualTo(3);
    }

    @Test
    void anAttemptThatGotPastItsCheckpointBreaksTheRow() {
        ledger.started("run-a", 1, 0);
        ledger.started("run-a", 2, 0);
        ledger.started("run-a", 3, 40);
        // the checkpoint is now at 80: attempt 3 (from 40) made progress before it died, attempt 4 did not
        ledger.started("run-a", 4, 80);
        assertThat(ledger.failedInARow("run-a", 5, 80)).isEqualTo(1);
        assertThat(ledger.failedInARow("run-a", 5, 120)).isZero();
    }

    @Test
    void aRunGivenBackOnShutdownIsNotAFailure() {
        ledger.started("run-a", 1, 0);
        ledger.ended("run-a", 2, 0, AttemptLedger.GIVEN_BACK, "trainer shutting down");
        ledger.ended("run-a", 3, 0, "RETRY", "object store away");
        assertThat(ledger.failedInARow("run-a", 4, 0)).isEqualTo(1);
    }

    @Test
    void attemptsAreNumberedFromTheRecordedOnesNotFromDeliveries() {
        assertThat(ledger.nextAttempt("run-a")).isEqualTo(1);
        ledger.started("run-a", 1, 0);
        assertThat(ledger.nextAttempt("run-a")).isEqualTo(2);
        ledger.ended("run-a", 2, 0, AttemptLedger.GIVEN_BACK, "trainer shutting down");
        assertThat(ledger.nextAttempt("run-a")).isEqualTo(3);
        assertThat(ledger.nextAttempt("run-b")).as("another run").isEqualTo(1);
    }

    @Test
    void aRunIsEndedOnceItsEndIsRecorded() {
        assertThat(ledger.hasEnded("run-a")).isFalse();
        ledger.started("run-a", 1, 0);
        assertThat(ledger.hasEnded("run-a")).isFalse();
        ledger.runEnded("run-a", 1, "SUCCEEDED");
        assertThat(ledger.hasEnded("run-a")).isTrue();
        assertThat(ledger.hasEnded("run-b")).isFalse();
        assertThat(ledger.nextAttempt("run-a")).as("the end record is not an attempt").isEqualTo(2);
    }

    @Test
    void recordsOfAnotherRunDoNotCount() {
        ledger.started("run-b", 1, 0);
        ledger.started("run-b", 2, 0);
        ledger.started("run-a", 1, 0);
        assertThat(ledger.failedInARow("run-a", 2, 0)).isEqualTo(1);
    }
}
