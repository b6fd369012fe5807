package org.falab.contracts.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.falab.contracts.json.ContractJson;
import org.junit.jupiter.api.Test;

class RunSpecTest {

    private static final Path DOCS = Path.of("../docs/events");

    @Test
    void readsTheContractExampleWithAPlainObjectMapper() throws Exception {
        ObjectMapper plain = new ObjectMapper();
        JsonNode example = plain.readTree(DOCS.resolve("examples/run-requested.json").toFile()).get("spec");
        RunSpec spec = plain.treeToValue(example, RunSpec.class);
        assertThat(spec.dataset()).isEqualTo(Dataset.FASHION_MNIST);
        assertThat(spec.hidden()).containsExactly(256, 256);
        assertThat(spec.method()).isEqualTo(LearningRule.FA);
        assertThat(spec.optimizer()).isEqualTo(OptimizerKind.SGD);
        assertThat(spec.trainSubset()).isNull();
        assertThat(spec.seed()).isEqualTo(42L);
        assertThat(RunSpecChecks.violations(spec)).isEmpty();
        // writing it back gives exactly the schema's fields, no helper accessors
        assertThat(plain.readTree(ContractJson.write(spec))).isEqualTo(example);
    }

    @Test
    void aRecordWrittenBeforeTheIssue3FieldsReadsWithTheirDefaults() {
        RunSpec spec = ContractJson.read("{\"dataset\": \"mnist\", \"model\": \"mlp\", \"hidden\": [8], "
                + "\"method\": \"bp\", \"optimizer\": \"sgd\", \"epochs\": 1, \"batchSize\": 4, \"learningRate\": 0.1, "
                + "\"momentum\": 0.9, \"weightDecay\": 0, \"seed\": 1, \"probeEvery\": 2, \"probeSize\": 4}",
                RunSpec.class);
        assertThat(spec.channels()).containsExactly(32, 64);
        assertThat(spec.norm()).isEqualTo(Norm.NONE);
        assertThat(spec.schedule()).isEqualTo(Schedule.CONSTANT);
        assertThat(spec.augment()).isTrue();
        assertThat(spec.probeLayout()).isEqualTo(ProbeLayout.POSITIONS);
        assertThat(spec.adamwLearningRate()).isEqualTo(3e-4);
        assertThat(spec.muonScope()).isEqualTo(MuonScope.HIDDEN);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RunSpec d = RunSpec.defaults();
        assertThat(d.dataset()).isNull();
        assertThat(d.method()).isNull();
        assertThat(d.model()).isEqualTo(Model.MLP);
        assertThat(d.hidden()).isEqualTo(List.of(256, 256));
        assertThat(d.optimizer()).isEqualTo(OptimizerKind.SGD);
        assertThat(d.epochs()).isEqualTo(3);
        assertThat(d.batchSize()).isEqualTo(128);
        assertThat(d.learningRate()).isEqualTo(0.01);
        assertThat(d.momentum()).isEqualTo(0.9);
        assertThat(d.seed()).isEqualTo(42L);
        assertThat(d.probeEvery()).isEqualTo(100);
        assertThat(d.probeSize()).isEqualTo(256);
        assertThat(d.trainSubset()).isNull();
        assertThat(d.probeAtStart()).isFalse();
        assertThat(d.muonScope()).isEqualTo(MuonScope.HIDDEN);
    }

    @Test
    void enumValuesAreTheNamesUsersType() throws Exception {
        assertThat(ContractJson.tree(Dataset.FASHION_MNIST).asText()).isEqualTo("fashion-mnist");
        assertThat(ContractJson.tree(LearningRule.BRSF).asText()).isEqualTo("brsf");
        assertThat(Model.RESNET20.jsonName()).isEqualTo("resnet20");
        assertThat(ContractJson.tree(MuonScope.ALL).asText()).isEqualTo("all");
        assertThat(ContractJson.read("{\"dataset\": \"mnist\", \"method\": \"bp\", \"optimizer\": \"muon\","
                + " \"muonScope\": \"all\"}", RunSpec.class).muonScope()).isEqualTo(MuonScope.ALL);
        assertThat(Files.exists(DOCS.resolve("run-spec.schema.json"))).isTrue();
    }
}
