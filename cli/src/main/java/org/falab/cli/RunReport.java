package org.falab.cli;

import java.io.PrintWriter;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a command prints about runs that ended ({@code run watch}, {@code results --format table}, {@code demo}):
 * the runs table ({@link RunTable}), the rank table ({@link RankTable}), and a note for each SUCCEEDED run whose
 * analysis of the last probe step is not all in.
 */
final class RunReport {

    private RunReport() {
    }

    static void print(PrintWriter out, List<JsonNode> runs) {
        RunTable.lines(runs).forEach(out::println);
        out.println();
        RankTable.lines(runs).forEach(out::println);
        for (JsonNode run : runs) {
            if (RunViews.SUCCEEDED.equals(RunViews.state(run))) {
                List<String> missing = AnalysisCompleteness.missing(run);
                if (!missing.isEmpty()) {
                    out.printf("note: %s (%s) has no analysis yet for %s at step %d%n", run.path("id").asText(),
                            RunViews.method(run, "?"), String.join(", ", missing),
                            AnalysisCompleteness.lastProbeStep(run));
                }
            }
        }
        out.flush();
    }
}
