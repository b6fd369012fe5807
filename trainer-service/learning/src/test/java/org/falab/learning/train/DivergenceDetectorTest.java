package org.falab.learning.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DivergenceDetectorTest {

    @Test
    void aFallingNoisyLossNeverWarns() {
        DivergenceDetector d = DivergenceDetector.standard(1.0);
        for (int t = 1; t <= 2000; t++) {
            double loss = 2.3 * Math.exp(-t / 300.0) + 0.05 + 0.3 * ((t * 7919) % 13) / 13.0;
            assertThat(d.observe(t, loss, 3.0)).isEmpty();
        }
        assertThat(d.fired()).isFalse();
    }

    @Test
    void aLossFourTimesItsLowestRunningMeanWarnsOnceAndNamesTheStep() {
        DivergenceDetector d = DivergenceDetector.standard(1.0);
        List<String> warnings = new ArrayList<>();
        for (int t = 1; t <= 400; t++) {
            double loss = t <= 100 ? 0.5 : 0.5 * Math.pow(1.05, t - 100); // finite, exploding
            d.observe(t, loss, 1.0).ifPresent(warnings::add);
        }
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("diverging at step ").contains("mean loss of the last 50 steps");
        int step = Integer.parseInt(warnings.get(0).replaceAll("diverging at step (\\d+):.*", "$1"));
        // the mean of the last 50 losses passes 2.0 about 50 steps after the single loss does
        assertThat(step).isBetween(130, 200);
    }

    @Test
    void aHeadWeightHundredTimesItsInitialNormWarns() {
        DivergenceDetector d = DivergenceDetector.standard(2.0);
        assertThat(d.observe(1, 1.0, 150.0)).isEmpty();
        Optional<String> w = d.observe(2, 1.0, 201.0);
        assertThat(w).hasValueSatisfying(r -> assertThat(r).contains("head weight norm"));
        assertThat(d.observe(3, 1.0, 1e6)).isEmpty();
    }

    @Test
    void nothingIsJudgedBeforeTheWindowIsFull() {
        DivergenceDetector d = new DivergenceDetector(10, 4, 100, 1.0);
        for (int t = 1; t < 10; t++) {
            assertThat(d.observe(t, t == 1 ? 0.01 : 100.0, 1.0)).isEmpty();
        }
    }

    @Test
    void aDetectorRestoredFromItsSavedStateWarnsAtTheSameStep() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        // before the window is full (no lowest mean yet), when it is, and after the warning
        for (int saveAt : new int[] {10, 120, 190}) {
            DivergenceDetector straight = DivergenceDetector.standard(1.0);
            DivergenceDetector first = DivergenceDetector.standard(1.0);
            List<String> expected = new ArrayList<>();
            List<String> resumed = new ArrayList<>();
            DivergenceDetector restored = null;
            for (int t = 1; t <= 400; t++) {
                // finite, exploding after step 100, with digits a float sum rounds
                double loss = (t <= 100 ? 0.5 : 0.5 * Math.pow(1.05, t - 100)) + 1e-3 / t;
                straight.observe(t, loss, 1.0).ifPresent(expected::add);
                if (t <= saveAt) {
                    first.observe(t, loss, 1.0).ifPresent(resumed::add);
                    if (t == saveAt) {
                        // through JSON, as a checkpoint manifest carries it
                        String saved = json.writeValueAsString(first.state());
                        restored = DivergenceDetector.standard(json.readValue(saved, DivergenceDetector.State.class));
                    }
                } else {
                    restored.observe(t, loss, 1.0).ifPresent(resumed::add);
                }
            }
            assertThat(resumed).as("saved after step " + saveAt).isEqualTo(expected).hasSize(1);
            assertThat(restored.state().sum()).isEqualTo(straight.state().sum());
        }
    }
}
