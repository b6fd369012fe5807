package org.falab.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.falab.contracts.events.Quantities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link StudyReport} on a sweep of two cells (bp, fa) x two seeds whose runs have known ranks, angles and accuracy
 * histories: the figures' datasets hold the means and sample spreads over seeds at each probe step, the PNGs decode
 * at their size, and results.md links them and shows the divergence warning.
 */
class StudyReportTest {

    /** Probe steps of every run: from step 0 every 100 steps, then the last step 250. */
    private static final long[] STEPS = {0, 100, 200, 250};

    /** The error signal's rank of fc1 in a run: a function of method, seed and step that the test can recompute. */
    private static double rank(String method, int seed, long step) {
        return (method.equals("bp") ? 60 : 40) - step / 10.0 + 2 * seed;
    }

    private static double updateRank(String method, int seed, long step) {
        return (method.equals("bp") ? 30 : 10) + step / 100.0 + seed;
    }

    private static double angle(int seed, long step) {
        return 80 - step / 50.0 + seed;
    }

    private static String id(String method, int seed) {
        return "run-00000000" + method + "s" + seed;
    }

    private static JsonNode sweep() {
        ObjectNode sweep = Fixtures.json("""
                {"id": "sweep-0000000000aa", "state": "SUCCEEDED", "runs": [],
                 "groups": [{"cell": {"method": "bp", "model": "mlp"}, "runs": 2,
                             "testAccuracy": {"mean": 0.85, "std": 0.01, "min": 0.84, "max": 0.86, "n": 2},
                             "effectiveRank": {"fc1": {"mean": 37.0, "std": 1.4, "n": 2}}},
                            {"cell": {"method": "fa", "model": "mlp"}, "runs": 2,
                             "testAccuracy": {"mean": 0.80, "std": 0.01, "min": 0.79, "max": 0.81, "n": 2},
                             "effectiveRank": {"fc1": {"mean": 17.0, "std": 1.4, "n": 2}}}]}""");
        ArrayNode runs = (ArrayNode) sweep.get("runs");
        for (String method : List.of("bp", "fa")) {
            for (int seed : new int[] {1, 2}) {
                ObjectNode run = runs.addObject().put("id", id(method, seed)).put("state", "SUCCEEDED");
                run.putObject("cell").put("method", method).put("model", "mlp").put("seed", seed);
            }
        }
        return sweep;
    }

    private static ObjectNode view(String method, int seed) {
        ObjectNode view = Fixtures.json("{\"state\": \"SUCCEEDED\", \"warnings\": []}");
        view.put("id", id(method, seed));
        ArrayNode analysis = view.putArray("analysis");
        ArrayNode alignment = view.putArray("alignment");
        for (long step : STEPS) {
            analysis.addObject().put("step", step).put("layer", "fc1").put("layerIndex", 0)
                    .put("quantity", Quantities.ERROR_SIGNAL).put("effectiveRank", rank(method, seed, step))
                    .put("singularValueCount", 256).put("nearZeroRows", method.equals("fa") ? seed * 10 : 0);
            if (step > 0) { // no update before the first step
                analysis.addObject().put("step", step).put("layer", "fc1").put("layerIndex", 0)
                        .put("quantity", Quantities.UPDATE).put("effectiveRank", updateRank(method, seed, step))
                        .put("singularValueCount", 256).put("nearZeroRows", 0);
            }
            if (method.equals("fa")) {
                alignment.addObject().put("step", step).put("layer", "fc1").put("layerIndex", 0)
                        .put("errorSignalAngleToBp", angle(seed, step));
            }
        }
        if (method.equals("fa") && seed == 2) {
            view.putArray("warnings").addObject().put("step", 180)
                    .put("reason", "diverging at step 180: mean loss of the last 50 steps 2.31 is more than 3x its "
                            + "lowest 0.612");
        }
        return view;
    }

    /** Every run's view by id. */
    private static Map<String, JsonNode> views() {
        Map<String, JsonNode> runs = new java.util.LinkedHashMap<>();
        for (String method : List.of("bp", "fa")) {
            for (int seed : new int[] {1, 2}) {
                runs.put(id(method, seed), view(method, seed));
            }
        }
        return runs;
    }

    private static JsonNode history(String method, int seed) {
        ArrayNode points = Fixtures.json("{}").arrayNode();
        for (int epoch = 1; epoch <= 2; epoch++) {
            points.addObject().put("step", epoch * 125).put("epoch", epoch).putNull("testAccuracy")
                    .put("trainLoss", 0.5);
            points.addObject().put("step", epoch * 125).put("epoch", epoch)
                    .put("testAccuracy", (method.equals("bp") ? 0.8 : 0.7) + 0.05 * epoch + 0.01 * seed);
        }
        return points;
    }

    private static FakeGateway gateway() {
        FakeGateway gateway = new FakeGateway();
        for (String method : List.of("bp", "fa")) {
            for (int seed : new int[] {1, 2}) {
                gateway.view(id(method, seed), view(method, seed)).metrics(id(method, seed), history(method, seed));
            }
        }
        return gateway;
    }

    @Test
    void theRankFigureHoldsTheMeanAndSpreadOverSeedsAtEveryProbeStepFromStepZero() {
        Map<String, JsonNode> runs = views();
        Map<String, SeedSeries> ranks = SweepSeries.rank(sweep(), runs, Quantities.ERROR_SIGNAL);
        assertThat(ranks).containsOnlyKeys("fc1");
        YIntervalSeriesCollection dataset = StudyFigures.dataset(ranks.get("fc1"));
        assertThat(dataset.getSeriesCount()).isEqualTo(2);
        assertThat(dataset.getSeriesKey(0)).isEqualTo("method=bp");
        assertThat(dataset.getSeriesKey(1)).isEqualTo("method=fa");
        for (int s = 0; s < 2; s++) {
            String method = s == 0 ? "bp" : "fa";
            assertThat(dataset.getItemCount(s)).isEqualTo(STEPS.length);
            for (int i = 0; i < STEPS.length; i++) {
                double a = rank(method, 1, STEPS[i]);
                double b = rank(method, 2, STEPS[i]);
                double mean = (a + b) / 2;
                double std = Math.abs(a - b) / Math.sqrt(2); // sample std of two values
                assertThat(dataset.getXValue(s, i)).isEqualTo(STEPS[i]);
                assertThat(dataset.getYValue(s, i)).isCloseTo(mean, within(1e-9));
                assertThat(dataset.getStartYValue(s, i)).isCloseTo(mean - std, within(1e-9));
                assertThat(dataset.getEndYValue(s, i)).isCloseTo(mean + std, within(1e-9));
            }
        }
        // BP has no angle to itself: its curve is declared (same colour in every figure) but empty
        YIntervalSeriesCollection angles = StudyFigures.dataset(SweepSeries.angleToBp(sweep(), runs).get("fc1"));
        assertThat(angles.getItemCount(0)).isZero();
        assertThat(angles.getYValue(1, 0)).isCloseTo((angle(1, 0) + angle(2, 0)) / 2, within(1e-9));
    }

    @Test
    void theUpdateRankAndNearZeroRowFiguresFollowTheirOwnQuantityAndField() {
        Map<String, JsonNode> runs = views();
        YIntervalSeriesCollection update = StudyFigures.dataset(
                SweepSeries.rank(sweep(), runs, Quantities.UPDATE).get("fc1"));
        assertThat(update.getItemCount(1)).isEqualTo(STEPS.length - 1);
        assertThat(update.getXValue(1, 0)).isEqualTo(100.0);
        assertThat(update.getYValue(1, 0)).isCloseTo((updateRank("fa", 1, 100) + updateRank("fa", 2, 100)) / 2,
                within(1e-9));
        SeedSeries zeros = SweepSeries.quantity(sweep(), runs, Quantities.ERROR_SIGNAL, "nearZeroRows").get("fc1");
        assertThat(zeros.title()).isEqualTo("fc1: near-zero rows of the error-signal over training");
        YIntervalSeriesCollection zero = StudyFigures.dataset(zeros);
        assertThat(zero.getItemCount(1)).isEqualTo(STEPS.length);
        assertThat(zero.getYValue(0, 0)).isZero();
        assertThat(zero.getYValue(1, 0)).isCloseTo(15.0, within(1e-9));
        assertThat(zero.getEndYValue(1, 0)).isCloseTo(15.0 + 10 / Math.sqrt(2), within(1e-9));
    }

    @Test
    void theSaturationScatterHasOnePointPerRunAndProbeOfTheErrorSignalOnly() {
        Map<String, JsonNode> runs = views();
        Map<String, SaturationScatter> scatter = SaturationScatter.of(sweep(), runs);
        assertThat(scatter).containsOnlyKeys("fc1");
        XYSeriesCollection dataset = StudyFigures.dataset(scatter.get("fc1"));
        assertThat(dataset.getSeriesCount()).isEqualTo(2);
        assertThat(dataset.getSeriesKey(1)).isEqualTo("method=fa");
        // 2 seeds x 4 probes; the update's results (another quantity) are not points
        assertThat(dataset.getItemCount(1)).isEqualTo(2 * STEPS.length);
        List<String> points = new java.util.ArrayList<>();
        for (int i = 0; i < dataset.getItemCount(1); i++) {
            points.add(dataset.getXValue(1, i) + "/" + dataset.getYValue(1, i));
        }
        List<String> expected = new java.util.ArrayList<>();
        for (int seed : new int[] {1, 2}) {
            for (long step : STEPS) {
                expected.add((double) (seed * 10) + "/" + rank("fa", seed, step));
            }
        }
        assertThat(points).containsExactlyElementsOf(expected);
    }

    @Test
    void theAccuracyFigureHasOnePointPerEpochFromTheMetricsHistory() {
        Map<String, JsonNode> histories = new java.util.LinkedHashMap<>();
        for (String method : List.of("bp", "fa")) {
            for (int seed : new int[] {1, 2}) {
                histories.put(id(method, seed), history(method, seed));
            }
        }
        YIntervalSeriesCollection dataset = StudyFigures.dataset(SweepSeries.testAccuracy(sweep(), histories));
        assertThat(dataset.getItemCount(1)).isEqualTo(2);
        assertThat(dataset.getXValue(1, 1)).isEqualTo(2.0);
        assertThat(dataset.getYValue(1, 1)).isCloseTo(0.7 + 0.1 + 0.015, within(1e-9));
        assertThat(dataset.getEndYValue(1, 1) - dataset.getYValue(1, 1)).isCloseTo(0.01 / Math.sqrt(2),
                within(1e-9));
    }

    @Test
    void aCellWithoutAModelTakesTheModelItsRunsTrainedFromTheirSpecs() {
        ObjectNode sweep = (ObjectNode) sweep();
        sweep.get("groups").forEach(group -> ((ObjectNode) group.get("cell")).remove("model"));
        sweep.get("runs").forEach(run -> ((ObjectNode) run.get("cell")).remove("model"));
        Map<String, JsonNode> views = views();
        views.values().forEach(view -> ((ObjectNode) view).putObject("spec").put("model", "cnn"));

        Map<String, JsonNode> models = SweepSeries.byModel(sweep, views);

        assertThat(models).containsOnlyKeys("cnn");
        assertThat(models.get("cnn").get("runs")).hasSize(4);
        assertThat(models.get("cnn").get("groups")).hasSize(2);
        assertThat(SweepSeries.byModel(sweep, Map.of())).containsOnlyKeys("-");
    }

    @Test
    void writesDecodablePngsOfTheRightSizeAndAMarkdownFileLinkingThem(@TempDir Path dir) throws Exception {
        StudyReport.Written written = StudyReport.write(gateway(), sweep(), null, null, dir.resolve("out"));

        assertThat(written.figures()).extracting(p -> p.getFileName().toString())
                .containsExactly("error-signal-rank-mlp-fc1.png", "update-rank-mlp-fc1.png",
                        "near-zero-rows-mlp-fc1.png", "rank-against-near-zero-rows-mlp-fc1.png",
                        "test-accuracy-mlp.png", "angle-to-bp-mlp-fc1.png");
        for (Path png : written.figures()) {
            assertThat(Files.size(png)).isGreaterThan(5_000);
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(png + " decodes").isNotNull();
            assertThat(image.getWidth()).isEqualTo(StudyFigures.WIDTH);
            assertThat(image.getHeight()).isEqualTo(StudyFigures.HEIGHT);
        }
        String md = Files.readString(written.markdown());
        assertThat(written.markdown().getFileName().toString()).isEqualTo(StudyReport.MARKDOWN);
        for (Path png : written.figures()) {
            assertThat(md).contains("](" + png.getFileName() + ")");
        }
        // fa at the end (step 250): seeds 17 and 19; averaged over the 4 probe steps: 40 - 13.75 + 3 = 29.25
        assertThat(md).contains("| mlp | method=fa | fc1 | 18.0 ± 1.4 (n=2) | 29.3 | 15.0 | 15.0 |");
        assertThat(md).contains("| method=fa, model=mlp | 2 | " + id("fa", 2) + " | 180 | diverging at step 180");
        assertThat(md).contains("0.8000 ± 0.0100");
    }
}
