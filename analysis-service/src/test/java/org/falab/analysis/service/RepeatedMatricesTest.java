package org.falab.analysis.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.ejml.data.DMatrixRMaj;
import org.falab.analysis.rank.RankSummary;
import org.junit.jupiter.api.Test;

/** Matrices referenced again are read once; the memory they take stays within its bound. */
class RepeatedMatricesTest {

    /** A loader of a rows x cols matrix that counts its reads. */
    private static Supplier<RepeatedMatrices.Analysed> reading(int rows, int cols, AtomicInteger reads) {
        return () -> {
            reads.incrementAndGet();
            return new RepeatedMatrices.Analysed(new DMatrixRMaj(rows, cols), new RankSummary(1.0, 1, rows, cols, 0));
        };
    }

    @Test
    void aRepeatedKeyIsReadOnceAndServedFromMemoryAfter() {
        RepeatedMatrices repeated = new RepeatedMatrices(1 << 20);
        AtomicInteger reads = new AtomicInteger();
        RepeatedMatrices.Analysed first = repeated.get("falab", "runs/r/snapshots/step-00000000/fc1.activity.npy",
                reading(8, 4, reads));
        RepeatedMatrices.Analysed again = repeated.get("falab", "runs/r/snapshots/step-00000000/fc1.activity.npy",
                reading(8, 4, reads));
        assertThat(reads).hasValue(1);
        assertThat(again).isSameAs(first);
        assertThat(repeated.bytes()).isEqualTo(8 * 4 * Double.BYTES);

        repeated.get("other-bucket", "runs/r/snapshots/step-00000000/fc1.activity.npy", reading(8, 4, reads));
        assertThat(reads).as("the same key in another bucket is another object").hasValue(2);
    }

    @Test
    void theLeastRecentlyUsedGoFirstWhenTheBoundIsReached() {
        // room for two 16x16 matrices (2 KiB each)
        RepeatedMatrices repeated = new RepeatedMatrices(2 * 16 * 16 * Double.BYTES);
        AtomicInteger reads = new AtomicInteger();
        repeated.get("b", "a", reading(16, 16, reads));
        repeated.get("b", "b", reading(16, 16, reads));
        repeated.get("b", "a", reading(16, 16, reads)); // a is now the most recently used
        repeated.get("b", "c", reading(16, 16, reads)); // evicts b
        assertThat(reads).hasValue(3);
        assertThat(repeated.bytes()).isEqualTo(2 * 16 * 16 * Double.BYTES);

        repeated.get("b", "a", reading(16, 16, reads));
        repeated.get("b", "c", reading(16, 16, reads));
        assertThat(reads).as("a and c still held").hasValue(3);
        repeated.get("b", "b", reading(16, 16, reads));
        assertThat(reads).as("b was evicted and is read again").hasValue(4);
    }

    @Test
    void aMatrixLargerThanTheBoundIsAnalysedButNotKept() {
        RepeatedMatrices repeated = new RepeatedMatrices(100);
        AtomicInteger reads = new AtomicInteger();
        repeated.get("b", "big", reading(16, 16, reads));
        repeated.get("b", "big", reading(16, 16, reads));
        assertThat(reads).hasValue(2);
        assertThat(repeated.bytes()).isZero();
    }
}
