package org.falab.gateway.rest;

import static org.falab.gateway.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Bad run specs answer 400 problem+json naming the field; a minimal good one answers 202 with defaults. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RunSpecValidationIT {

    private static final String OK = "\"dataset\": \"fashion-mnist\", \"method\": \"fa\"";

    static Stream<Arguments> badSpecs() {
        String tooManyLayers = IntStream.range(0, 33).mapToObj(i -> "8").reduce((a, b) -> a + "," + b).orElseThrow();
        return Stream.of(
                // enumerations and required fields
                Arguments.of("{\"dataset\": \"imagenet\", \"method\": \"fa\"}", "dataset"),
                Arguments.of("{\"method\": \"fa\"}", "dataset"),
                Arguments.of("{\"dataset\": null, \"method\": \"fa\"}", "dataset"),
                Arguments.of("{\"dataset\": 5, \"method\": \"fa\"}", "dataset"),
                Arguments.of("{\"dataset\": \"mnist\"}", "method"),
                Arguments.of("{\"dataset\": \"mnist\", \"method\": \"hebbian\"}", "method"),
                Arguments.of("{" + OK + ", \"optimizer\": \"adam\"}", "optimizer"),
                Arguments.of("{" + OK + ", \"model\": \"vgg16\"}", "model"),
                Arguments.of("{" + OK + ", \"optimizer\": \"lion\"}", "optimizer"),
                Arguments.of("{" + OK + ", \"feedbackInit\": \"orthogonal\"}", "feedbackInit"),
                Arguments.of("{" + OK + ", \"norm\": \"group\"}", "norm"),
                Arguments.of("{" + OK + ", \"schedule\": \"linear\"}", "schedule"),
                Arguments.of("{" + OK + ", \"probeLayout\": \"channels\"}", "probeLayout"),
                Arguments.of("{" + OK + ", \"muonScope\": \"first\"}", "muonScope"),
                Arguments.of("{" + OK + ", \"nesterov\": \"yes\"}", "nesterov"),
                Arguments.of("{" + OK + ", \"augment\": 1}", "augment"),
                Arguments.of("{" + OK + ", \"adamwLearningRate\": 0}", "adamwLearningRate"),
                Arguments.of("{" + OK + ", \"scheduleGamma\": 1.5}", "scheduleGamma"),
                Arguments.of("{" + OK + ", \"channels\": []}", "channels"),
                Arguments.of("{" + OK + ", \"channels\": [32, 0]}", "channels[1]"),
                Arguments.of("{" + OK + ", \"scheduleMilestones\": [0]}", "scheduleMilestones[0]"),
                // combinations that cannot train
                Arguments.of("{\"dataset\": \"cifar10\", \"model\": \"resnet18\", \"method\": \"dfa\"}", "method"),
                Arguments.of("{\"dataset\": \"cifar100\", \"model\": \"resnet20\", \"method\": \"dfa\"}", "method"),
                Arguments.of("{\"dataset\": \"mnist\", \"model\": \"cnn\", \"method\": \"fa\","
                        + " \"channels\": [8, 8, 8, 8, 8]}", "channels"),
                Arguments.of("{\"dataset\": \"cifar10\", \"model\": \"cnn\", \"method\": \"fa\","
                        + " \"channels\": [8, 8, 8, 8, 8, 8]}", "channels"),
                Arguments.of("{\"dataset\": \"synthetic\", \"model\": \"cnn\", \"method\": \"fa\"}", "model"),
                Arguments.of("{\"dataset\": \"synthetic\", \"model\": \"resnet20\", \"method\": \"bp\"}", "model"),
                Arguments.of("{" + OK + ", \"norm\": \"batch\", \"batchSize\": 1}", "norm"),
                Arguments.of("{" + OK + ", \"scheduleMilestones\": [2]}", "scheduleMilestones"),
                Arguments.of("{" + OK + ", \"schedule\": \"cosine\", \"scheduleMilestones\": [1]}",
                        "scheduleMilestones"),
                Arguments.of("{" + OK + ", \"schedule\": \"steps\", \"epochs\": 10, \"scheduleMilestones\": [5, 11]}",
                        "scheduleMilestones[1]"),
                Arguments.of("{" + OK + ", \"schedule\": \"steps\", \"epochs\": 10, \"scheduleMilestones\": [5, 5]}",
                        "scheduleMilestones[1]"),
                Arguments.of("{" + OK + ", \"schedule\": \"steps\"}", "scheduleMilestones"),
                Arguments.of("{" + OK + ", \"optimizer\": \"adamw\", \"nesterov\": true}", "nesterov"),
                Arguments.of("{" + OK + ", \"momentum\": 0, \"nesterov\": true}", "nesterov"),
                Arguments.of("{" + OK + ", \"muonScope\": \"all\"}", "muonScope"),
                Arguments.of("{" + OK + ", \"optimizer\": \"adamw\", \"muonScope\": \"all\"}", "muonScope"),
                // sizes: zero, negative, absurd
                Arguments.of("{" + OK + ", \"epochs\": 0}", "epochs"),
                Arguments.of("{" + OK + ", \"epochs\": -3}", "epochs"),
                Arguments.of("{" + OK + ", \"epochs\": 1000000000}", "epochs"),
                Arguments.of("{" + OK + ", \"epochs\": 99999999999999}", "epochs"),
                Arguments.of("{" + OK + ", \"batchSize\": 0}", "batchSize"),
                Arguments.of("{" + OK + ", \"batchSize\": 1000000}", "batchSize"),
                Arguments.of("{" + OK + ", \"learningRate\": 0}", "learningRate"),
                Arguments.of("{" + OK + ", \"learningRate\": -0.1}", "learningRate"),
                Arguments.of("{" + OK + ", \"learningRate\": 1e9}", "learningRate"),
                Arguments.of("{" + OK + ", \"momentum\": 1}", "momentum"),
                Arguments.of("{" + OK + ", \"momentum\": -0.5}", "momentum"),
                Arguments.of("{" + OK + ", \"weightDecay\": 2}", "weightDecay"),
                Arguments.of("{" + OK + ", \"seed\": -1}", "seed"),
                Arguments.of("{" + OK + ", \"trainSubset\": 0}", "trainSubset"),
                Arguments.of("{" + OK + ", \"testSubset\": 1000000000}", "testSubset"),
                Arguments.of("{" + OK + ", \"probeEvery\": 0}", "probeEvery"),
                Arguments.of("{" + OK + ", \"probeSize\": 100000}", "probeSize"),
                // hidden widths
                Arguments.of("{" + OK + ", \"hidden\": []}", "hidden"),
                Arguments.of("{" + OK + ", \"hidden\": [" + tooManyLayers + "]}", "hidden"),
                Arguments.of("{" + OK + ", \"hidden\": [0]}", "hidden[0]"),
                Arguments.of("{" + OK + ", \"hidden\": [256, 1000000000]}", "hidden[1]"),
                Arguments.of("{" + OK + ", \"hidden\": [256, null]}", "hidden[1]"),
                Arguments.of("{" + OK + ", \"hidden\": [256, \"wide\"]}", "hidden[1]"),
                Arguments.of("{" + OK + ", \"hidden\": 256}", "hidden"),
                // wrong JSON types
                Arguments.of("{" + OK + ", \"epochs\": \"ten\"}", "epochs"),
                Arguments.of("{" + OK + ", \"epochs\": \"3\"}", "epochs"),
                Arguments.of("{" + OK + ", \"epochs\": 2.5}", "epochs"),
                Arguments.of("{" + OK + ", \"epochs\": true}", "epochs"),
                Arguments.of("{" + OK + ", \"learningRate\": \"fast\"}", "learningRate"),
                Arguments.of("{" + OK + ", \"seed\": {\"value\": 1}}", "seed"),
                // unknown fields and malformed bodies
                Arguments.of("{" + OK + ", \"learning_rate\": 0.1}", "learning_rate"),
                Arguments.of("{" + OK + ", \"epochs\": 3,", "body"),
                Arguments.of("{" + OK + " \"epochs\": 3}", "body"),
                Arguments.of("[1, 2]", "body"),
                Arguments.of("\"fashion-mnist\"", "body"),
                Arguments.of("", "body"));
    }

    @ParameterizedTest(name = "[{index}] {1}: {0}")
    @MethodSource("badSpecs")
    void badSpecIsA400ProblemNamingTheField(String body, String field) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/runs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", equalTo("https://falab.org/problems/invalid-run-spec"))
                .body("title", equalTo("Invalid run spec"))
                .body("detail", not(nullValue()))
                .body("errors.field", hasItem(field))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void everyBadFieldIsNamed() {
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": \"imagenet\", \"method\": \"hebbian\", \"epochs\": 0, \"hidden\": [16, -1]}")
                .when().post("/api/v1/runs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("dataset", "method", "epochs", "hidden[1]"))
                .body("errors.size()", equalTo(4));
    }

    @Test
    void goodSpecWithDefaultsIsAccepted() {
        given().contentType(ContentType.JSON).body("{" + OK + "}")
                .when().post("/api/v1/runs")
                .then().statusCode(202)
                .header("Location", matchesPattern(".*/api/v1/runs/run-[0-9a-f]{12}$"))
                .body("id", matchesPattern("^run-[0-9a-f]{12}$"))
                .body("state", equalTo("QUEUED"))
                .body("spec.dataset", equalTo("fashion-mnist"))
                .body("spec.method", equalTo("fa"))
                .body("spec.model", equalTo("mlp"))
                .body("spec.hidden", equalTo(java.util.List.of(256, 256)))
                .body("spec.optimizer", equalTo("sgd"))
                .body("spec.epochs", equalTo(3))
                .body("spec.batchSize", equalTo(128))
                .body("spec.learningRate", equalTo(0.01f))
                .body("spec.momentum", equalTo(0.9f))
                .body("spec.weightDecay", equalTo(0.0f))
                .body("spec.seed", equalTo(42))
                .body("spec.trainSubset", nullValue())
                .body("spec.probeEvery", equalTo(100))
                .body("spec.probeSize", equalTo(256))
                .body("spec.channels", equalTo(java.util.List.of(32, 64)))
                .body("spec.feedbackInit", equalTo("xavier"))
                .body("spec.nesterov", equalTo(false))
                .body("spec.adamwLearningRate", equalTo(3e-4f))
                .body("spec.norm", equalTo("none"))
                .body("spec.schedule", equalTo("constant"))
                .body("spec.scheduleMilestones", equalTo(java.util.List.of()))
                .body("spec.scheduleGamma", equalTo(0.1f))
                .body("spec.augment", equalTo(true))
                .body("spec.probeLayout", equalTo("positions"))
                .body("spec.muonScope", equalTo("hidden"));
    }

    @Test
    void issue3SpecsThatCanTrainAreAccepted() {
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": \"cifar100\", \"model\": \"resnet18\", \"method\": \"frsf\","
                        + " \"optimizer\": \"muon\", \"learningRate\": 0.02, \"adamwLearningRate\": 0.001,"
                        + " \"norm\": \"batch\", \"schedule\": \"steps\", \"epochs\": 10,"
                        + " \"scheduleMilestones\": [5, 10], \"scheduleGamma\": 0.2, \"augment\": false,"
                        + " \"feedbackInit\": \"kaiming\", \"probeLayout\": \"examples\", \"muonScope\": \"all\"}")
                .when().post("/api/v1/runs")
                .then().statusCode(202)
                .body("spec.muonScope", equalTo("all"))
                .body("spec.model", equalTo("resnet18"))
                .body("spec.scheduleMilestones", equalTo(java.util.List.of(5, 10)))
                .body("spec.adamwLearningRate", equalTo(0.001f))
                .body("spec.augment", equalTo(false));
        // the largest conv stacks the image sizes allow, and DFA where the trainer has it
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": \"fashion-mnist\", \"model\": \"cnn\", \"method\": \"dfa\","
                        + " \"channels\": [8, 8, 8, 8], \"nesterov\": true}")
                .when().post("/api/v1/runs").then().statusCode(202).body("spec.channels.size()", equalTo(4));
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": \"cifar10\", \"model\": \"cnn\", \"method\": \"usf\","
                        + " \"channels\": [8, 8, 8, 8, 8], \"norm\": \"layer\", \"batchSize\": 1}")
                .when().post("/api/v1/runs").then().statusCode(202);
    }

    @Test
    void largestAllowedValuesAreAccepted() {
        // 32 layers of 1024: 33.6 M parameters, under RunSpecLimits' 50 M
        String widths = IntStream.range(0, 32).mapToObj(i -> "1024").reduce((a, b) -> a + "," + b).orElseThrow();
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": \"synthetic\", \"method\": \"bp\", \"model\": \"mlp\", \"optimizer\": \"adamw\","
                        + " \"hidden\": [" + widths + "], \"epochs\": 1000, \"batchSize\": 65536,"
                        + " \"learningRate\": 10, \"momentum\": 0.999, \"weightDecay\": 1, \"seed\": 0,"
                        + " \"trainSubset\": 100000000, \"testSubset\": 1, \"probeEvery\": 100000000,"
                        + " \"probeSize\": 4096}")
                .when().post("/api/v1/runs")
                .then().statusCode(202)
                .body("spec.epochs", equalTo(1000))
                .body("spec.hidden.size()", equalTo(32));
    }

    @Test
    void aModelTooLargeForATrainerIsRefusedNamingTheFieldAndTheLimit() {
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": \"mnist\", \"method\": \"fa\", \"hidden\": [16384, 16384]}")
                .when().post("/api/v1/runs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == 'hidden' }.message", containsString("at most 50,000,000"));
    }

    @Test
    void rejectedSpecsAreCounted() {
        double before = rejectedTotal();
        given().contentType(ContentType.JSON).body("{\"dataset\": \"imagenet\", \"method\": \"fa\"}")
                .post("/api/v1/runs").then().statusCode(400);
        assertThat(rejectedTotal()).as("a bad field counts").isEqualTo(before + 1);
        // a combination rule counts as a rejected spec too, and names the field
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": \"cifar10\", \"model\": \"resnet20\", \"method\": \"dfa\"}")
                .post("/api/v1/runs").then().statusCode(400)
                .body("type", equalTo("https://falab.org/problems/invalid-run-spec"))
                .body("errors[0].field", equalTo("method"))
                .body("errors[0].message", containsString("resnet20"));
        // and so does a body that is not JSON
        given().contentType(ContentType.JSON).body("{\"dataset\": ").post("/api/v1/runs").then().statusCode(400);
        assertThat(rejectedTotal()).isEqualTo(before + 3);
        // a bad query parameter is not a rejected spec, an accepted run is not either
        given().when().get("/api/v1/runs?limit=0").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{" + OK + "}").post("/api/v1/runs").then().statusCode(202);
        assertThat(rejectedTotal()).isEqualTo(before + 3);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("falab_runs_submitted_total"))
                .body(containsString("falab_runs{state=\"QUEUED\"}"));
    }

    /** The value of falab_runs_rejected_total in the gateway's own Prometheus scrape. */
    private static double rejectedTotal() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("falab_runs_rejected_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("falab_runs_rejected_total is not exported"));
    }

    @Test
    void otherMediaTypeIsA415Problem() {
        given().contentType(ContentType.TEXT).body("dataset=mnist")
                .when().post("/api/v1/runs")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
    }

    @Test
    void unknownRunIsA404Problem() {
        given().when().get("/api/v1/runs/run-000000000000")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/run-not-found"))
                .body("instance", endsWith("/api/v1/runs/run-000000000000"));
        given().when().get("/api/v1/runs/run-000000000000/analysis")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void badQueryParameterIsA400ProblemButNotARejectedSpec() {
        given().when().get("/api/v1/runs?limit=0")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/invalid-request"))
                .body("errors.field", hasItem("limit"));
    }

    @Test
    void unknownRouteIsA404Problem() {
        given().when().get("/api/v1/nothing-here")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }
}
