package org.falab.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Per-channel statistics and their application, against the formula written out value by value. */
class StandardisationTest {

    private static final int ROWS = 37;
    private static final int CHANNELS = 3;
    private static final int PLANE = 5;

    private static float[] raw() {
        SplittableRandom rng = new SplittableRandom(7);
        float[] x = new float[ROWS * CHANNELS * PLANE];
        for (int i = 0; i < x.length; i++) {
            // channel c around 10c, so that a value counted in the wrong channel moves its mean
            x[i] = (float) (rng.nextInt(256) / 255.0 + 10 * ((i % (CHANNELS * PLANE)) / PLANE));
        }
        return x;
    }

    @Test
    void statisticsAreThoseOfEachChannelsValuesAddedInArrayOrder() {
        float[] x = raw();
        Standardisation st = Standardisation.of(x, CHANNELS * PLANE, CHANNELS);
        for (int c = 0; c < CHANNELS; c++) {
            double sum = 0;
            long n = 0;
            for (int i = 0; i < x.length; i++) {
                if ((i % (CHANNELS * PLANE)) / PLANE == c) {
                    sum += x[i];
                    n++;
                }
            }
            double mean = sum / n;
            double sq = 0;
            for (int i = 0; i < x.length; i++) {
                if ((i % (CHANNELS * PLANE)) / PLANE == c) {
                    sq += (x[i] - mean) * (x[i] - mean);
                }
            }
            assertThat(st.means()[c]).as("mean of channel %d", c).isEqualTo(mean);
            assertThat(st.stds()[c]).as("std of channel %d", c).isEqualTo(Math.sqrt(sq / n));
        }
    }

    @Test
    void applyStandardisesEveryValueWithItsChannelsStatistics() {
        float[] x = raw();
        Standardisation st = Standardisation.of(x, CHANNELS * PLANE, CHANNELS);
        float[] y = x.clone();
        st.applyInPlace(y, CHANNELS * PLANE);
        for (int i = 0; i < x.length; i++) {
            int c = (i % (CHANNELS * PLANE)) / PLANE;
            assertThat(y[i]).as("value %d", i).isEqualTo((float) ((x[i] - st.means()[c]) / st.stds()[c]));
        }
    }

    @Test
    void rowsMustHoldWholeChannelsAndTheArrayWholeRows() {
        assertThatThrownBy(() -> Standardisation.of(new float[14], 7, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Standardisation.of(new float[15], 6, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Standardisation.of(new float[0]).std()).isEqualTo(1);
    }
}
