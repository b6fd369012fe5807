package org.falab.learning.optim;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.MuonScope;
import org.falab.contracts.spec.Norm;
import org.falab.contracts.spec.OptimizerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Set;
import org.falab.learning.convert.ModelBuilder;
import org.falab.learning.layers.Initializer;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.models.Network;
import org.falab.learning.layers.Parameter;
import org.falab.learning.models.Mlp;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.RunSpec;
import org.junit.jupiter.api.Test;

/** Nesterov SGD, learning-rate schedules and Muon's parameter groups. */
class OptimizerSetupTest {

    private static final double[] W0 = {1.0, -2.0, 0.5};
    private static final double[][] G = {{0.3, -0.1, 2.0}, {-1.0, 0.4, 0.2}, {0.5, 0.5, -0.7}};

    @Test
    void nesterovSgdFollowsTorch() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        double[] expected = W0.clone();
        double[] buf = new double[3];
        for (double[] g : G) {
            for (int i = 0; i < 3; i++) {
                double d = g[i] + wd * expected[i];
                buf[i] = mu * buf[i] + d;
                expected[i] -= lr * (d + mu * buf[i]);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(W0.clone(), new Shape(3));
            w.setRequiresGradient(true);
            Parameter p = new Parameter("w", w, Parameter.Kind.WEIGHT);
            Sgd sgd = new Sgd(List.of(new ParameterGroup("all", List.of(p), lr, wd)), mu, true);
            for (double[] g : G) {
                sgd.zeroGradients();
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    c.backward(w.mul(m.create(g, new Shape(3))).sum());
                }
                sgd.step();
            }
            assertThat(w.toDoubleArray()).containsExactly(expected, within(1e-12));
        }
    }

    @Test
    void cosineFallsFromOneTowardsZero() {
        LearningRateSchedule s = new LearningRateSchedule("cosine", 100, 10, List.of(), 0.1);
        assertThat(s.factor(1)).isEqualTo(1.0);
        assertThat(s.factor(51)).isCloseTo(0.5, within(1e-12));
        assertThat(s.factor(100)).isCloseTo(0.5 * (1 + Math.cos(Math.PI * 99 / 100)), within(1e-12));
        assertThat(s.factor(100)).isLessThan(0.001);
        for (long t = 2; t <= 100; t++) {
            assertThat(s.factor(t)).isLessThan(s.factor(t - 1));
        }
    }

    @Test
    void stepsMultiplyAfterEachMilestoneEpoch() {
        LearningRateSchedule s = new LearningRateSchedule("steps", 50, 10, List.of(2, 4), 0.1);
        assertThat(s.factor(1)).isEqualTo(1.0); // epoch 1
        assertThat(s.factor(20)).isEqualTo(1.0); // last update of epoch 2
        assertThat(s.factor(21)).isCloseTo(0.1, within(1e-15)); // epoch 3
        assertThat(s.factor(40)).isCloseTo(0.1, within(1e-15));
        assertThat(s.factor(41)).isCloseTo(0.01, within(1e-15)); // epoch 5
        assertThat(new LearningRateSchedule("constant", 5, 1, List.of(), 0.1).factor(5)).isEqualTo(1.0);
    }

    @Test
    void scheduleScalesEveryGroupFromItsBaseRate() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter w = param(m, "w", new Shape(4, 4), Parameter.Kind.WEIGHT);
            Parameter b = param(m, "b", new Shape(4), Parameter.Kind.BIAS);
            Muon muon = new Muon(List.of(new ParameterGroup("muon", List.of(w), 0.02, 0)),
                    List.of(new ParameterGroup("adamw", List.of(b), 3e-4, 0)));
            LearningRateSchedule s = new LearningRateSchedule("steps", 4, 2, List.of(1), 0.5);
            s.apply(muon, 3);
            assertThat(muon.groups()).extracting(ParameterGroup::learningRate).containsExactly(0.01, 1.5e-4);
            s.apply(muon, 1);
            assertThat(muon.groups()).extracting(ParameterGroup::learningRate).containsExactly(0.02, 3e-4);
        }
    }

    @Test
    void muonGroupsOfAnMlpLeaveFirstLayerHeadAndBiasesToAdamW() {
        RunSpec spec = new RunSpec(Dataset.SYNTHETIC, Model.MLP, List.of(16, 16, 16), LearningRule.FA, OptimizerKind.MUON, 1, 8, 0.02, 0, 0.01, 1L,
                null, null, 1, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.initialise(LearningRule.FA, Mlp.widths(32, spec.hidden(), 10), Initializer.XAVIER_UNIFORM,
                    1L, m, DataType.FLOAT32);
            Muon muon = (Muon) Optimizers.create(spec, mlp);
            assertThat(names(muon.muonGroups())).containsExactly("fc2.weight", "fc3.weight");
            assertThat(names(muon.adamGroups())).containsExactly("fc1.weight", "fc1.bias", "fc2.bias", "fc3.bias",
                    "fc4.weight", "fc4.bias");
            assertThat(muon.muonGroups().get(0).learningRate()).isEqualTo(0.02);
            assertThat(muon.adamGroups().get(0).learningRate()).isEqualTo(3e-4);
        }
    }

    @Test
    void muonGroupsOfASmallCnnTakeHiddenConvFiltersOnly() {
        // conv1 (stem) -> norm -> conv2 -> norm -> fc1 -> fc2 (head), as a cnn with channels [8, 16], hidden [32]
        try (NDManager m = NDManager.newBaseManager()) {
            List<Parameter> params = List.of(
                    param(m, "conv1.weight", new Shape(8, 3, 3, 3), Parameter.Kind.WEIGHT),
                    param(m, "conv1.bias", new Shape(8), Parameter.Kind.BIAS),
                    param(m, "norm1.gain", new Shape(8), Parameter.Kind.BIAS),
                    param(m, "conv2.weight", new Shape(16, 8, 3, 3), Parameter.Kind.WEIGHT),
                    param(m, "conv2.bias", new Shape(16), Parameter.Kind.BIAS),
                    param(m, "fc1.weight", new Shape(32, 1024), Parameter.Kind.WEIGHT),
                    param(m, "fc1.bias", new Shape(32), Parameter.Kind.BIAS),
                    param(m, "fc2.weight", new Shape(10, 32), Parameter.Kind.WEIGHT),
                    param(m, "fc2.bias", new Shape(10), Parameter.Kind.BIAS));
            List<List<Parameter>> split = Optimizers.muonSplit(params,
                    Set.of("conv1.weight", "conv1.bias", "fc2.weight", "fc2.bias"));
            assertThat(split.get(0)).extracting(Parameter::name).containsExactly("conv2.weight", "fc1.weight");
            assertThat(split.get(1)).extracting(Parameter::name).containsExactly("conv1.weight", "conv1.bias",
                    "norm1.gain", "conv2.bias", "fc1.bias", "fc2.weight", "fc2.bias");
        }
    }

    @Test
    void muonScopeAllTakesTheFirstLayerAndTheHeadOfAnMlpToo() {
        // fashion-mnist's MLP 784-256-256-10: fc1 (stem), fc2 (hidden), fc3 (head)
        try (NDManager m = NDManager.newBaseManager()) {
            Network mlp = ModelBuilder.build(muonSpec(Model.MLP, null, MuonScope.HIDDEN),
                    TensorFactory.seeded(m, DataType.FLOAT32, 1)).network();
            Muon hidden = (Muon) Optimizers.create(muonSpec(Model.MLP, null, MuonScope.HIDDEN), mlp);
            assertThat(names(hidden.muonGroups())).containsExactly("fc2.weight");
            assertThat(names(hidden.adamGroups())).containsExactly("fc1.weight", "fc1.bias", "fc2.bias",
                    "fc3.weight", "fc3.bias");
            Muon all = (Muon) Optimizers.create(muonSpec(Model.MLP, null, MuonScope.ALL), mlp);
            assertThat(names(all.muonGroups())).containsExactly("fc1.weight", "fc2.weight", "fc3.weight");
            assertThat(names(all.adamGroups())).containsExactly("fc1.bias", "fc2.bias", "fc3.bias");
            assertThat(all.muonGroups().get(0).learningRate()).isEqualTo(0.02);
            assertThat(all.adamGroups().get(0).learningRate()).isEqualTo(3e-4);
        }
    }

    @Test
    void muonScopeAllTakesTheConvStemAndTheHeadOfACnnButNoNormOrBias() {
        // cnn with channels [32, 64] and hidden [256, 256] on 1x28x28, batch norm after every hidden layer
        try (NDManager m = NDManager.newBaseManager()) {
            Network cnn = ModelBuilder.build(muonSpec(Model.CNN, Norm.BATCH, MuonScope.ALL),
                    TensorFactory.seeded(m, DataType.FLOAT32, 1)).network();
            List<List<Parameter>> hidden = Optimizers.muonSplit(cnn, MuonScope.HIDDEN);
            assertThat(hidden.get(0)).extracting(Parameter::name)
                    .containsExactly("conv2.weight", "fc1.weight", "fc2.weight");
            List<List<Parameter>> all = Optimizers.muonSplit(cnn, MuonScope.ALL);
            assertThat(all.get(0)).extracting(Parameter::name)
                    .containsExactly("conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight", "fc3.weight");
            assertThat(all.get(0).get(0).array().getShape()).isEqualTo(new Shape(32, 1, 3, 3));
            assertThat(all.get(1)).isNotEmpty().allSatisfy(p -> assertThat(p.kind()).isNotEqualTo(
                    Parameter.Kind.WEIGHT));
            assertThat(all.get(1)).extracting(Parameter::kind).contains(Parameter.Kind.BIAS, Parameter.Kind.NORM);
            assertThat(all.get(0).size() + all.get(1).size()).isEqualTo(cnn.parameters().size());
            // the one-argument split is the hidden scope
            assertThat(Optimizers.muonSplit(cnn)).isEqualTo(hidden);
        }
    }

    /** Fashion-MNIST, fa, Muon at 0.02, hidden [256, 256], channels [32, 64]. */
    private static RunSpec muonSpec(Model model, Norm norm, MuonScope scope) {
        return new RunSpec(Dataset.FASHION_MNIST, model, List.of(256, 256), LearningRule.FA, OptimizerKind.MUON, 1,
                8, 0.02, 0.0, 0.0, 1L, null, null, 1, 8, List.of(32, 64), null, null, null, norm, null, null, null,
                null, null, null, scope);
    }

    private static List<String> names(List<ParameterGroup> groups) {
        return groups.stream().flatMap(g -> g.parameters().stream()).map(Parameter::name).toList();
    }

    private static Parameter param(NDManager m, String name, Shape shape, Parameter.Kind kind) {
        NDArray a = m.zeros(shape);
        a.setRequiresGradient(true);
        return new Parameter(name, a, kind);
    }
}
