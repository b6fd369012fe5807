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

        // muonScope all is Muon's alone; hidden (the default) goes with any optimiser
        assertThat(fields("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"muonScope\": \"all\"}"))
                .containsExactly("muonScope");
        assertThat(fields("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"optimizer\": \"adamw\","
                + " \"muonScope\": \"all\"}")).containsExactly("muonScope");
        assertThat(fields("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"optimizer\": \"muon\","
                + " \"muonScope\": \"all\"}")).isEmpty();
        assertThat(fields("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"optimizer\": \"sgd\","
                + " \"muonScope\": \"hidden\"}")).isEmpty();
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

    @Test
    void networksAndProbesTooLargeToTrainAreRefusedNamingTheField() {
        // 784x16384 + 16384x16384 + 16384x10 weights and 16384 + 16384 + 10 biases
        assertThat(message("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"hidden\": [16384, 16384]}",
                "hidden")).isEqualTo("model has 281,477,130 parameters; at most 50,000,000");
        // the conv stack holds most of these, so the message names channels; the probe of 4096 channels at 32x32
        // positions times 256 probe examples is too large as well
        String wideConv = "{\"dataset\": \"cifar10\", \"model\": \"cnn\", \"method\": \"fa\","
                + " \"channels\": [4096, 4096], \"hidden\": [1]}";
        assertThat(fields(wideConv)).containsExactlyInAnyOrder("channels", "probeSize");
        assertThat(message(wideConv, "probeSize")).startsWith("probe matrices of up to 1,073,741,824 values")
                .endsWith("; at most 67,108,864");
        // the linear part of a cnn is named when it holds most parameters: 4096 x 16 x 16 inputs x 256
        assertThat(fields("{\"dataset\": \"cifar10\", \"model\": \"cnn\", \"method\": \"fa\","
                + " \"channels\": [4096], \"probeSize\": 1}")).containsExactly("hidden");
        // resnet18's first conv gives 64 x 32 x 32 values per example: 2048 examples are twice the limit
        assertThat(message("{\"dataset\": \"cifar10\", \"model\": \"resnet18\", \"method\": \"fa\","
                + " \"probeSize\": 2048}", "probeSize")).startsWith("probe matrices of up to 134,217,728 values");
        // dfa's B of conv1 is 1024 channels x 32 x 32 x 100 classes, fc1's 1 x 100
        assertThat(message("{\"dataset\": \"cifar100\", \"model\": \"cnn\", \"method\": \"dfa\","
                + " \"channels\": [1024], \"hidden\": [1], \"probeSize\": 1}", "channels"))
                .startsWith("dfa feedback matrices of 104,857,700 values")
                .endsWith("at most 50,000,000");
        // a probe batch is never larger than the training subset
        assertThat(fields("{\"dataset\": \"cifar10\", \"model\": \"resnet18\", \"method\": \"fa\","
                + " \"probeSize\": 2048, \"trainSubset\": 1024}")).isEmpty();
    }

    @Test
    void theLimitsAdmitTheDemoTheStudyAndTheLargestWidths() {
        assertThat(fields("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"hidden\": [256, 256]}")).isEmpty();
        assertThat(fields("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"optimizer\": \"muon\","
                + " \"hidden\": [1024, 1024, 1024], \"norm\": \"batch\", \"probeSize\": 4096}")).isEmpty();
        assertThat(fields("{\"dataset\": \"cifar100\", \"model\": \"resnet18\", \"method\": \"frsf\","
                + " \"norm\": \"batch\", \"probeSize\": 1024}")).isEmpty();
        assertThat(fields("{\"dataset\": \"synthetic\", \"method\": \"fa\", \"hidden\": [16384, 1],"
                + " \"probeSize\": 4096}")).isEmpty();
        // a rule that says the network cannot be built comes alone: there is nothing to count
        assertThat(fields("{\"dataset\": \"synthetic\", \"model\": \"resnet18\", \"method\": \"fa\"}"))
                .containsExactly("model");
    }
}
