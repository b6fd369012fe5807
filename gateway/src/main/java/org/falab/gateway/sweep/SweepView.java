package org.falab.gateway.sweep;

import java.util.List;
import java.util.Map;

import org.falab.gateway.RunState;

/**
 * Answer to {@code GET /api/v1/sweeps/{id}}.
 *
 * @param state  RUNNING until every run is SUCCEEDED, FAILED or CANCELLED, then DONE
 * @param owner   who submitted it (the owner of its runs)
 * @param project the project of its runs
 * @param groups runs whose cells are equal except {@code seed}, in the order their first run appears
 */
public record SweepView(String id, String state, String owner, String project, List<RunView> runs,
                        List<Group> groups) {

    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";

    /** One run of the sweep; testAccuracy is the latest the trainer reported (null until then). */
    public record RunView(String id, RunState state, Map<String, Object> cell, Double testAccuracy) {
    }

    /**
     * @param cell          the cell without {@code seed}
     * @param testAccuracy  over the final test accuracy of the group's SUCCEEDED runs
     * @param effectiveRank per layer: the error-signal effective rank at each run's last analysed probe step
     */
    public record Group(Map<String, Object> cell, int runs, int finished, Stats testAccuracy,
                       Map<String, RankStats> effectiveRank) {
    }

    /** mean, sample standard deviation (0 when n = 1), min, max; all null when n = 0. */
    public record Stats(Double mean, Double std, Double min, Double max, int n) {
    }

    /** mean and sample standard deviation (0 when n = 1). */
    public record RankStats(double mean, double std, int n) {
    }

    /** One line of {@code GET /api/v1/sweeps}. */
    public record Summary(String id, String state, String owner, String project, int runs, int finished,
                          java.time.Instant submittedAt) {
    }
}
