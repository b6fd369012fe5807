package org.falab.learning.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCS = Path.of("../../docs/events");

    @Test
    void readsTheContractExampleWithAPlainObjectMapper() throws Exception {
        JsonNode example = JSON.readTree(DOCS.resolve("examples/run-requested.json").toFile()).get("spec");
        RunSpec spec = JSON.treeToValue(example, RunSpec.class);
        assertThat(spec.dataset()).isEqualTo("fashion-mnist");
        assertThat(spec.hidden()).containsExactly(256, 256);
        assertThat(spec.learningRule()).isEqualTo(LearningRule.FA);
        assertThat(spec.optimizerKind()).isEqualTo(OptimizerKind.SGD);
        assertThat(spec.trainSubset()).isNull();
        assertThat(spec.seed()).isEqualTo(42L);
        spec.validate();
        // writing it back gives exactly the schema's fields, no helper accessors
        assertThat(JSON.readTree(JSON.writeValueAsString(spec))).isEqualTo(example);
    }

    @Test
    void componentNamesAreTheSchemaProperties() throws Exception {
        JsonNode schema = JSON.readTree(DOCS.resolve("run-spec.schema.json").toFile());
        List<String> properties = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        List<String> components = java.util.Arrays.stream(RunSpec.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList();
        assertThat(components).containsExactlyElementsOf(properties);
    }

    @Test
    void validateNamesEveryProblem() {
        RunSpec bad = new RunSpec("cifar-10", "resnet", List.of(0), "ep", "muon", 0, 0, -1, 1.0, -1, -1L, 0, 0, 0, 0);
        assertThatThrownBy(bad::validate).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataset").hasMessageContaining("model").hasMessageContaining("hidden")
                .hasMessageContaining("method 'ep'").hasMessageContaining("epochs")
                .hasMessageContaining("batchSize").hasMessageContaining("learningRate")
                .hasMessageContaining("momentum").hasMessageContaining("weightDecay").hasMessageContaining("seed")
                .hasMessageContaining("trainSubset").hasMessageContaining("testSubset")
                .hasMessageContaining("probeEvery").hasMessageContaining("probeSize");
    }

    @Test
    void seedsGiveIndependentReproducibleStreams() {
        assertThat(Seeds.stream(1, "a").nextLong()).isEqualTo(Seeds.stream(1, "a").nextLong());
        assertThat(Seeds.stream(1, "a").nextLong()).isNotEqualTo(Seeds.stream(1, "b").nextLong());
        assertThat(Seeds.stream(1, "a").nextLong()).isNotEqualTo(Seeds.stream(2, "a").nextLong());
        assertThat(Seeds.permutation(10, Seeds.stream(3, "p"))).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
}
