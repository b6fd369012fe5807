package org.falab.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.Norm;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;
import org.falab.contracts.spec.RunSpecChecks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The study's sweep expanded as the gateway's planner does (each variant laid over the base, times the grid's
 * models and seeds), without training: 180 runs, each a valid spec with the study's settings, and {@code reproduce
 * --study} submitting it (narrowed by the options given).
 */
class StudySweepTest {

    /** The cells of a sweep body: variant outermost, then model, then seed (the planner's order). */
    private static List<RunSpec> expand(JsonNode body) {
        List<RunSpec> specs = new ArrayList<>();
        for (JsonNode variant : body.path("variants")) {
            for (JsonNode model : body.path("grid").path("model")) {
                for (JsonNode seed : body.path("grid").path("seed")) {
                    ObjectNode spec = body.path("base").deepCopy();
                    spec.setAll((ObjectNode) variant.deepCopy());
                    spec.set("model", model);
                    spec.set("seed", seed);
                    specs.add(ContractJson.read(spec.toString(), RunSpec.class));
                }
            }
        }
        return specs;
    }

    @Test
    void theStudyIs180ValidRunsWithTheStudysSettings() {
        List<RunSpec> specs = expand(StudySweep.body(StudySweep.Scale.FULL));

        // 8 SGD rules x 2 rates + FA+Muon + BP+Muon = 18 variants, x 2 models x 5 seeds; under the gateway's 200
        assertThat(specs).hasSize(180);
        for (RunSpec spec : specs) {
            assertThat(RunSpecChecks.violations(spec)).as(spec.toString()).isEmpty();
            assertThat(spec.dataset()).isEqualTo(Dataset.FASHION_MNIST);
            assertThat(spec.trainSubset()).isNull();
            assertThat(spec.testSubset()).isNull();
            assertThat(spec.hidden()).containsExactly(256, 256, 256);
            assertThat(spec.epochs()).isEqualTo(5);
            assertThat(spec.batchSize()).isEqualTo(128);
            assertThat(spec.probeEvery()).isEqualTo(100);
            assertThat(spec.probeSize()).isEqualTo(256);
            assertThat(spec.probeAtStart()).isTrue();
            assertThat(spec.seed()).isBetween(0L, 4L);
            if (spec.optimizer() == OptimizerKind.MUON) {
                assertThat(spec.learningRate()).isEqualTo(0.02);
                assertThat(spec.adamwLearningRate()).isEqualTo(1e-3);
                assertThat(spec.norm()).isEqualTo(Norm.NONE);
            } else {
                assertThat(spec.optimizer()).isEqualTo(OptimizerKind.SGD);
                assertThat(spec.momentum()).isEqualTo(0.9);
                assertThat(spec.learningRate()).isIn(0.05, 0.005);
            }
        }
        // each cell (rule, optimiser, norm, rate, model; enums as their JSON names) has exactly the five seeds
        Map<String, List<Long>> seeds = new HashMap<>();
        for (RunSpec s : specs) {
            seeds.computeIfAbsent(s.method() + "/" + s.optimizer() + "/" + s.norm() + "/" + s.learningRate() + "/"
                    + s.model(), k -> new ArrayList<>()).add(s.seed());
        }
        assertThat(seeds).hasSize(36).allSatisfy((cell, s) -> assertThat(s).containsExactly(0L, 1L, 2L, 3L, 4L));
        for (Model model : List.of(Model.MLP, Model.CNN)) {
            for (double rate : new double[] {0.05, 0.005}) {
                for (String rule : List.of("bp/sgd/none", "fa/sgd/none", "fa/sgd/batch", "fa/sgd/layer",
                        "dfa/sgd/none", "usf/sgd/none", "brsf/sgd/none", "frsf/sgd/none")) {
                    assertThat(seeds).containsKey(rule + "/" + rate + "/" + model);
                }
            }
            assertThat(seeds).containsKeys("fa/muon/none/0.02/" + model, "bp/muon/none/0.02/" + model);
        }
        assertThat(specs).extracting(RunSpec::method).contains(LearningRule.values());
    }

    @Test
    void reproduceStudySubmitsThePresetNarrowedByTheOptionsGiven(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) {
        JsonNode accepted = Fixtures.json("{\"id\": \"sweep-000000000002\", \"runs\": []}");
        JsonNode done = Fixtures.json("{\"id\": \"sweep-000000000002\", \"state\": \"DONE\", \"runs\": [], "
                + "\"groups\": []}");
        FakeGateway gateway = new FakeGateway().sweep(accepted, "sweep-000000000002", done);
        TestCli cli = new TestCli();

        cli.execute(gateway, "reproduce", "--study", "--models", "mlp", "--seeds", "0", "--epochs", "1",
                "--train-subset", "512", "--test-subset", "256", "--out-dir", dir.toString());

        assertThat(gateway.submittedSweeps).containsExactly(StudySweep.body(new StudySweep.Scale(null,
                List.of("mlp"), List.of(0L), 1, 512, 256)));
        List<RunSpec> specs = expand(gateway.submittedSweeps.get(0));
        assertThat(specs).hasSize(18).allSatisfy(s -> {
            assertThat(s.trainSubset()).isEqualTo(512);
            assertThat(s.testSubset()).isEqualTo(256);
            assertThat(s.epochs()).isEqualTo(1);
        });
        assertThat(cli.out()).contains("submitting the study's sweep to http://gateway.test:8080: fashion-mnist, "
                + "models mlp, seeds 0, 1 epochs, first 512 training examples");

        FakeGateway untouched = new FakeGateway();
        assertThat(cli.execute(untouched, "reproduce", "--study", "--learning-rate", "0.1")).isEqualTo(2);
        assertThat(cli.execute(untouched, "reproduce", "--test-subset", "10")).isEqualTo(2);
        assertThat(cli.err()).contains("--learning-rate does not go with --study");
        assertThat(untouched.submittedSweeps).isEmpty();
    }
}
