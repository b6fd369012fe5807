package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class SweepBodyTest {

    @Test
    void baseVariantsAndGridFromTheOptions() {
        ObjectNode body = SweepBody.of(new SweepBody.Options("cifar100", List.of("resnet18"), List.of(1L, 2L, 3L),
                200, 30000, 0.05));

        assertThat(fieldNames(body)).containsExactly("base", "variants", "grid");

        JsonNode base = body.get("base");
        assertThat(fieldNames(base)).containsExactly("dataset", "hidden", "channels", "optimizer", "epochs",
                "batchSize", "learningRate", "momentum", "trainSubset", "probeEvery", "probeSize");
        assertThat(base.get("dataset").asText()).isEqualTo("cifar100");
        assertThat(base.get("hidden").toString()).isEqualTo("[256,256]");
        assertThat(base.get("channels").toString()).isEqualTo("[32,64]");
        assertThat(base.get("optimizer").asText()).isEqualTo("sgd");
        assertThat(base.get("epochs").isInt()).isTrue();
        assertThat(base.get("epochs").asInt()).isEqualTo(200);
        assertThat(base.get("batchSize").asInt()).isEqualTo(128);
        assertThat(base.get("learningRate").isDouble()).isTrue();
        assertThat(base.get("learningRate").asDouble()).isEqualTo(0.05);
        assertThat(base.get("momentum").asDouble()).isEqualTo(0.9);
        assertThat(base.get("trainSubset").asInt()).isEqualTo(30000);
        assertThat(base.get("probeEvery").asInt()).isEqualTo(200);
        assertThat(base.get("probeSize").asInt()).isEqualTo(128);

        JsonNode variants = body.get("variants");
        assertThat(variants.size()).isEqualTo(5);
        assertThat(variants.get(0).toString()).isEqualTo("{\"method\":\"bp\"}");
        assertThat(variants.get(1).toString()).isEqualTo("{\"method\":\"fa\"}");
        assertThat(variants.get(2).toString())
                .isEqualTo("{\"method\":\"fa\",\"optimizer\":\"muon\",\"learningRate\":0.02}");
        assertThat(variants.get(3).toString()).isEqualTo("{\"method\":\"fa\",\"norm\":\"batch\"}");
        assertThat(variants.get(4).toString()).isEqualTo("{\"method\":\"fa\",\"norm\":\"layer\"}");

        JsonNode grid = body.get("grid");
        assertThat(fieldNames(grid)).containsExactly("model", "seed");
        assertThat(grid.get("model").toString()).isEqualTo("[\"resnet18\"]");
        assertThat(grid.get("seed").toString()).isEqualTo("[1,2,3]");
        assertThat(grid.get("seed").get(0).isIntegralNumber()).isTrue();
    }

    @Test
    void withoutATrainSubsetTheFieldIsLeftOut() {
        ObjectNode body = SweepBody.of(new SweepBody.Options("fashion-mnist", List.of("mlp", "cnn"), List.of(7L),
                3, null, 0.005));

        assertThat(body.get("base").has("trainSubset")).isFalse();
        assertThat(body.get("base").get("learningRate").asDouble()).isEqualTo(0.005);
        assertThat(body.get("grid").get("model").toString()).isEqualTo("[\"mlp\",\"cnn\"]");
        assertThat(body.get("grid").get("seed").toString()).isEqualTo("[7]");
    }

    @Test
    void quotesInAValueStayInsideTheirString() {
        ObjectNode body = SweepBody.of(new SweepBody.Options("x\", \"epochs\": 1000, \"y", List.of("m\"lp"),
                List.of(1L), 3, null, 0.005));

        assertThat(body.get("base").get("dataset").asText()).isEqualTo("x\", \"epochs\": 1000, \"y");
        assertThat(body.get("base").get("epochs").asInt()).isEqualTo(3);
        assertThat(body.get("grid").get("model").get(0).asText()).isEqualTo("m\"lp");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
