package org.falab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.events.Quantities;

/**
 * What {@code falab reproduce --out-dir DIR} writes: the figures of {@link SweepSeries} as PNGs and {@code
 * results.md}, the tables of {@link SweepReport}, then per cell and layer the error signal's effective rank at the
 * end and averaged over every probe from the first, its near-zero rows, the runs the divergence detector warned
 * about (its words as evidence), and the figures as image links: per layer the error signal's rank, the update's
 * rank and the error signal's near-zero rows over training, its rank against its near-zero rows at every probe
 * ({@link SaturationScatter}), the test accuracy, the angle to BP.
 */
public final class StudyReport {

    /** The Markdown file in the output folder. */
    public static final String MARKDOWN = "results.md";

    /** What was written: the Markdown file and the figures, in the order they are linked. */
    public record Written(Path markdown, List<Path> figures) {
    }

    private StudyReport() {
    }

    /**
     * Reads every run's view and metrics history from {@code gateway} and writes the report into {@code dir}
     * (created if missing).
     *
     * @param request the submitted body as text; null for a sweep submitted before
     * @param seconds wall time from submission, or null
     */
    public static Written write(Gateway gateway, JsonNode sweep, String request, Double seconds, Path dir)
            throws IOException, InterruptedException {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        Map<String, JsonNode> succeeded = new LinkedHashMap<>();
        Map<String, JsonNode> histories = new LinkedHashMap<>();
        for (JsonNode run : sweep.path("runs")) {
            String id = run.path("id").asText();
            JsonNode view = gateway.run(id);
            views.put(id, view);
            if (RunViews.SUCCEEDED.equals(RunViews.state(view))) {
                succeeded.put(id, view);
            }
            histories.put(id, gateway.metrics(id));
        }
        Files.createDirectories(dir);
        String sweepId = "sweep " + sweep.path("id").asText();
        List<Path> figures = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        md.append("# Sweep `").append(sweep.path("id").asText()).append("`\n\n");
        md.append(SweepReport.table(sweep, request, seconds)).append('\n');
        md.append(SweepReport.detailTable(sweep, succeeded)).append('\n');

        Map<String, JsonNode> models = SweepSeries.byModel(sweep, views);
        md.append("## Error signal's effective rank over training\n\n");
        md.append("Mean ± std over seeds at the last probe step, and the mean over every probe step from the first "
                + "of the per-step means; near-zero rows (of the probe batch's error signal) at the last step and "
                + "the most at any step.\n\n");
        md.append("| model | cell | layer | at the end | averaged over training | near-zero rows at the end | "
                + "most near-zero rows |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, JsonNode> model : models.entrySet()) {
            Map<String, SeedSeries> ranks = SweepSeries.rank(model.getValue(), succeeded, Quantities.ERROR_SIGNAL);
            Map<String, SeedSeries> zeros = SweepSeries.quantity(model.getValue(), succeeded,
                    Quantities.ERROR_SIGNAL, "nearZeroRows");
            for (Map.Entry<String, SeedSeries> layer : ranks.entrySet()) {
                for (String cell : layer.getValue().cells()) {
                    List<SeedSeries.Point> points = layer.getValue().points(cell);
                    if (points.isEmpty()) {
                        continue;
                    }
                    SeedSeries.Point end = points.get(points.size() - 1);
                    SeedSeries zeroSeries = zeros.get(layer.getKey());
                    List<SeedSeries.Point> zero = zeroSeries == null ? List.of() : zeroSeries.points(cell);
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f ± %.1f (n=%d) | %.1f | %s | %s |%n",
                            model.getKey(), cell, layer.getKey(), end.mean(), end.std(), end.n(),
                            layer.getValue().meanOverX(cell), zero.isEmpty() ? "-"
                                    : String.format(Locale.ROOT, "%.1f", zero.get(zero.size() - 1).mean()),
                            zero.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f",
                                    zero.stream().mapToDouble(SeedSeries.Point::mean).max().orElse(0))));
                }
            }
        }
        md.append('\n').append(divergence(sweep, views)).append('\n');

        md.append("## Figures\n\n");
        for (Map.Entry<String, JsonNode> model : models.entrySet()) {
            String m = model.getKey();
            String sub = sweepId + ": mean over seeds, band = ± 1 std; model " + m;
            for (Map.Entry<String, SeedSeries> layer : SweepSeries.rank(model.getValue(), succeeded,
                    Quantities.ERROR_SIGNAL).entrySet()) {
                figures.add(figure(layer.getValue(), sub, dir, StudyFigures.fileName("error-signal-rank", m,
                        layer.getKey()), md));
            }
            // the Muon question (docs/RESULTS.md): whether the update's rank follows the error signal's, and
            // whether a low rank is saturation (examples whose error signal is near zero)
            for (Map.Entry<String, SeedSeries> layer : SweepSeries.rank(model.getValue(), succeeded,
                    Quantities.UPDATE).entrySet()) {
                figures.add(figure(layer.getValue(), sub, dir, StudyFigures.fileName("update-rank", m,
                        layer.getKey()), md));
            }
            for (Map.Entry<String, SeedSeries> layer : SweepSeries.quantity(model.getValue(), succeeded,
                    Quantities.ERROR_SIGNAL, "nearZeroRows").entrySet()) {
                figures.add(figure(layer.getValue(), sub, dir, StudyFigures.fileName("near-zero-rows", m,
                        layer.getKey()), md));
            }
            for (Map.Entry<String, SaturationScatter> layer : SaturationScatter.of(model.getValue(), succeeded)
                    .entrySet()) {
                String name = StudyFigures.fileName("rank-against-near-zero-rows", m, layer.getKey());
                StudyFigures.write(layer.getValue(), sweepId + ": one point per run and probe; model " + m,
                        dir.resolve(name));
                figures.add(link(dir, name, layer.getValue().title(), md));
            }
            SeedSeries accuracy = SweepSeries.testAccuracy(model.getValue(), histories);
            if (!accuracy.isEmpty()) {
                figures.add(figure(accuracy, sub, dir, StudyFigures.fileName("test-accuracy", m), md));
            }
            for (Map.Entry<String, SeedSeries> layer : SweepSeries.angleToBp(model.getValue(), succeeded)
                    .entrySet()) {
                figures.add(figure(layer.getValue(), sub, dir, StudyFigures.fileName("angle-to-bp", m,
                        layer.getKey()), md));
            }
        }
        Path markdown = dir.resolve(MARKDOWN);
        Files.writeString(markdown, md.toString());
        return new Written(markdown, List.copyOf(figures));
    }

    /** The runs with a warning of the trainer (its divergence detector), each with its words. */
    static String divergence(JsonNode sweep, Map<String, JsonNode> views) {
        StringBuilder md = new StringBuilder("## Divergence warnings\n\n");
        List<String> rows = new ArrayList<>();
        for (JsonNode group : SweepReport.inCellOrder(sweep)) {
            for (JsonNode summary : SweepSeries.runsOf(sweep, group)) {
                JsonNode view = views.get(summary.path("id").asText());
                if (view == null) {
                    continue;
                }
                for (JsonNode warning : view.path("warnings")) {
                    rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |", SweepReport.cell(group.path(
                            "cell")), summary.path("cell").path("seed").asText("-"), summary.path("id").asText(),
                            warning.path("step").asText("-"), warning.path("reason").asText().replace("|", "/")));
                }
            }
        }
        if (rows.isEmpty()) {
            return md.append("No run has a warning: no cell diverged.\n").toString();
        }
        md.append("| cell | seed | run | step | the trainer's warning |\n|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        return md.toString();
    }

    private static Path figure(SeedSeries series, String subtitle, Path dir, String name, StringBuilder md)
            throws IOException {
        StudyFigures.write(series, subtitle, dir.resolve(name));
        return link(dir, name, series.title(), md);
    }

    private static Path link(Path dir, String name, String title, StringBuilder md) {
        md.append("![").append(name.replace(".png", "")).append(": ").append(title).append("](").append(name)
                .append(")\n\n");
        return dir.resolve(name);
    }
}
