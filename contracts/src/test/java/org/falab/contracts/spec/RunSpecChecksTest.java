package org.falab.contracts.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.falab.contracts.json.ContractViolationException;
import org.falab.contracts.json.FieldViolation;
import org.junit.jupiter.api.Test;

/** Reading and checking specs: every bad field named at once, bounds before combination rules. */
class RunSpecChecksTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private static List<String> fields(String json) {
        try {
            RunSpecChecks.read(json, VALIDATOR);
        } catch (ContractViolationException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
        return List.of();
    }

    private static String message(String json, String field) {
        try {
            RunSpecChecks.read(json, VALIDATOR);
        } catch (ContractViolationException e) {
            return e.violations().stream().filter(v -> v.field().equals(field)).map(FieldViolation::message)
                    .findFirst().orElseThrow();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertThat(fields("{\"dataset\": \"cifar-10\", \"model\": \"resnet\", \"hidden\": [0], \"method\": \"ep\","
                + " \"optimizer\": \"muon\", \"epochs\": 0, \"batchSize\": 0, \"learningRate\": -1, \"momentum\": 1.0,"
                + " \"weightDecay\": -1, \"seed\": -1, \"trainSubset\": 0, \"testSubset\": 0, \"probeEvery\": 0,"
                + " \"probeSize\": 0}"))
                .containsExactlyInAnyOrder("dataset", "model", "hidden[0]", "method", "epochs", "batchSize",
                        "learningRate", "momentum", "weightDecay", "seed", "trainSubset", "testSubset", "probeEvery",
                        "probeSize");
    }

    @Test
    void enumerationsListTheirValues() {
        assertThat(message("{\"dataset\": \"imagenet\", \"method\": \"fa\"}", "dataset"))
                .isEqualTo("must be one of fashion-mnist, mnist, cifar10, cifar100, synthetic");
        assertThat(message("{\"dataset\": \"mnist\", \"method\": \"hebbian\"}", "method"))
                .isEqualTo("must be one of bp, fa, dfa, usf, brsf, frsf");
    }

    @Test
    void typesAreStrictAndRequiredFieldsAreNamed() {
        assertThat(message("{\"dataset\": \"mnist\", \"method\": \"fa\", \"epochs\": \"3\"}", "epochs"))
                .isEqualTo("must be an integer");
        assertThat(message("{\"dataset\": \"mnist\", \"method\": \"fa\", \"epochs\": 2.5}", "epochs"))
                .isEqualTo("must be an integer");
        assertThat(message("{\"dataset\": \"mnist\", \"method\": \"fa\", \"augment\": 1}", "augment"))
                .isEqualTo("must be true or false");
        assertThat(message("{\"dataset\": 5, \"method\": \"fa\"}", "dataset")).startsWith("must be one of");
        assertThat(message("{\"method\": \"fa\"}", "dataset")).isEqualTo("is required");
        assertThat(message("{\"dataset\": \"mnist\", \"method\": \"fa\", \"hidden\": [256, \"wide\"]}", "hidden[1]"))
                .isEqualTo("must be an integer");
        assertThat(message("{\"dataset\": \"mnist\", \"method\": \"fa\", \"hidden\": [256, null]}", "hidden[1]"))
                .isEqualTo("must be a width");
        assertThat(message("{\"dataset\": \"mnist\", \"method\": \"fa\", \"epochs\": 99999999999999}", "epochs"))
                .startsWith("is out of range");
        assertThat(message("{\"dataset\": \"mnist\", \"method\": \"fa\", \"learning_rate\": 0.1}", "learning_rate"))
                .startsWith("unknown field; known fields: adamwLearningRate, augment, batchSize");
    }

    @Test
    void malformedBodiesNameTheBodyAndDuplicateKeysTheField() {
        assertThat(fields("[1, 2]")).containsExactly("body");
        assertThat(fields("{\"dataset\": \"mnist\", \"method\": \"fa\",")).containsExactly("body");
        assertThat(fields("")).containsExactly("body");
        assertThat(fields("{\"dataset\": \"mnist\", \"method\": \"fa\", \"epochs\": 3, \"epochs\": 4}"))
                .containsExactly("epochs");
    }

    @Test
    void combinationRulesRunOnlyOnceTheBoundsHold() {
        assertThat(fields("{\"dataset\": \"cifar10\", \"model\": \"resnet20\", \"method\": \"dfa\"}"))
                .containsExactly("method");
        assertThat(fields("{\"dataset\": \"cifar10\", \"model\": \"resnet20\", \"method\": \"dfa\", \"epochs\": 0}"))
                .containsExactly("epochs");
        assertThat(fields("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"schedule\": \"steps\","
                + " \"epochs\": 10, \"scheduleMilestones\": [5, 5]}")).containsExactly("scheduleMilestones[1]");
    }

    @Test
    void aGoodSpecIsReadWithItsDefaults() {
        RunSpec spec = RunSpecChecks.read("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"seed\": 7}",
                VALIDATOR);
        assertThat(spec.seed()).isEqualTo(7L);
        assertThat(spec.hidden()).containsExactly(256, 256);
        assertThatThrownBy(() -> RunSpecChecks.read("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\","
                + " \"probeSize\": 4097}", VALIDATOR)).isInstanceOf(ContractViolationException.class)
                .hasMessageContaining("probeSize: must be at most 4096");
    }
}
