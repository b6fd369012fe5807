package org.falab.contracts.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Sizes counted by hand; the learning core checks the same counts against the networks it builds. */
class ModelSizeTest {

    private static RunSpec spec(Dataset dataset, Model model, List<Integer> hidden, List<Integer> channels, Norm norm,
            LearningRule method, int probeSize) {
        return new RunSpec(dataset, model, hidden, method, OptimizerKind.SGD, 1, 16, 0.1, 0.9, 0.0, 1L, null, null, 1,
                probeSize, channels, null, null, null, norm, null, null, null, null, null);
    }

    @Test
    void theDemoMlpHasItsWeightsBiasesAndNormParameters() {
        RunSpec demo = spec(Dataset.FASHION_MNIST, Model.MLP, List.of(256, 256), null, Norm.NONE, LearningRule.FA, 256);
        assertThat(ModelSize.parameters(demo)).isEqualTo(784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10);
        RunSpec normed = spec(Dataset.FASHION_MNIST, Model.MLP, List.of(256, 256), null, Norm.LAYER, LearningRule.FA,
                256);
        assertThat(ModelSize.parameters(normed)).isEqualTo(ModelSize.parameters(demo) + 2 * (256 + 256));
        // probe: 256 examples x 784 inputs of fc1 is the largest matrix
        assertThat(ModelSize.largestProbeMatrix(demo)).isEqualTo(256L * 784);
    }

    @Test
    void aCnnHalvesTheImageAfterEachBlock() {
        RunSpec cnn = spec(Dataset.CIFAR10, Model.CNN, List.of(32), List.of(8, 16), Norm.BATCH, LearningRule.DFA, 4);
        List<ModelSize.Layer> layers = ModelSize.layers(cnn);
        assertThat(layers).extracting(ModelSize.Layer::name).containsExactly("conv1", "conv2", "fc1", "fc2");
        // conv2 sees 16x16 (after one pool); fc1 sees 16 channels of 8x8
        assertThat(layers.get(1).inHeight()).isEqualTo(16);
        assertThat(layers.get(2).in()).isEqualTo(16 * 8 * 8);
        long conv = (3 * 8 * 9 + 8 + 2 * 8) + (8 * 16 * 9 + 16 + 2 * 16);
        long linear = (16 * 8 * 8 * 32 + 32 + 2 * 32) + (32 * 10 + 10);
        assertThat(ModelSize.parameters(cnn)).isEqualTo(conv + linear);
        // 4 probe examples x conv1's 8 x 32 x 32 outputs
        assertThat(ModelSize.largestProbeMatrix(cnn)).isEqualTo(4L * 8 * 32 * 32);
        // DFA keeps a B of outputs x classes for every layer but the head
        assertThat(ModelSize.keptFeedbackValues(cnn)).isEqualTo((8L * 32 * 32 + 16 * 16 * 16 + 32) * 10);
    }

    @Test
    void resnetsHaveTheirFixedLayout() {
        RunSpec r20 = spec(Dataset.CIFAR10, Model.RESNET20, null, null, Norm.BATCH, LearningRule.FA, 8);
        // 19 convs, 2 shortcuts, the head
        assertThat(ModelSize.layers(r20)).hasSize(22).last().satisfies(head -> {
            assertThat(head.name()).isEqualTo("fc");
            assertThat(head.in()).isEqualTo(64);
        });
        assertThat(ModelSize.layers(r20)).filteredOn(l -> l.name().endsWith("shortcut"))
                .extracting(ModelSize.Layer::name).containsExactly("layer2.0.shortcut", "layer3.0.shortcut");
        RunSpec r18 = spec(Dataset.CIFAR100, Model.RESNET18, null, null, Norm.BATCH, LearningRule.FA, 8);
        assertThat(ModelSize.layers(r18)).hasSize(21);
        assertThat(ModelSize.parameters(r18)).isBetween(11_000_000L, 11_300_000L);
    }
}
