package org.falab.gateway.messaging;

import static org.falab.gateway.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.gateway.KafkaTestClients;
import org.falab.gateway.registry.Run;
import org.falab.gateway.registry.RunRegistry;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.EventContract;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.Norm;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The gateway's side of the event contract (docs/events): what it writes to falab.run-requests validates against
 * run-requested.schema.json (with its $ref to run-spec.schema.json), and every example of every topic it reads
 * parses into its records and folds into the registry.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class EventContractIT {

    private static final EventContract CONTRACT = EventContract.fromModule();

    @Inject
    ObjectMapper mapper;

    @Test
    void publishedRunRequestedWithDefaultsConformsToTheSchema() throws Exception {
        String value = postAndReadBack("{\"dataset\": \"mnist\", \"method\": \"bp\"}");

        assertThat(CONTRACT.violations("run-requested.schema.json", value)).isEmpty();
        assertThat(mapper.readTree(value).path("spec").has("trainSubset"))
                .as("optional fields are written as null, like the example").isTrue();
    }

    @Test
    void publishedRunRequestedWithEveryFieldConformsToTheSchema() throws Exception {
        String value = postAndReadBack("{\"dataset\": \"synthetic\", \"method\": \"fa\", \"model\": \"mlp\","
                + " \"hidden\": [16384, 1], \"optimizer\": \"adamw\", \"epochs\": 1000, \"batchSize\": 65536,"
                + " \"learningRate\": 10, \"momentum\": 0.999, \"weightDecay\": 1, \"seed\": 9007199254740991,"
                + " \"trainSubset\": 100000000, \"testSubset\": 1, \"probeEvery\": 1, \"probeSize\": 4096}");

        assertThat(CONTRACT.violations("run-requested.schema.json", value)).isEmpty();
    }

    @Test
    void publishedRunRequestedWithEveryIssue3FieldConformsToTheSchema() throws Exception {
        String value = postAndReadBack("{\"dataset\": \"cifar100\", \"method\": \"brsf\", \"model\": \"cnn\","
                + " \"channels\": [16, 32, 64, 128, 256], \"feedbackInit\": \"kaiming\", \"optimizer\": \"sgd\","
                + " \"nesterov\": true, \"adamwLearningRate\": 10, \"norm\": \"layer\", \"schedule\": \"steps\","
                + " \"epochs\": 20, \"scheduleMilestones\": [10, 15], \"scheduleGamma\": 1, \"augment\": false,"
                + " \"probeLayout\": \"examples\"}");
        assertThat(CONTRACT.violations("run-requested.schema.json", value)).isEmpty();
        JsonNode spec = mapper.readTree(value).path("spec");
        assertThat(spec.path("channels").toString()).isEqualTo("[16,32,64,128,256]");
        assertThat(spec.path("scheduleMilestones").toString()).isEqualTo("[10,15]");
        assertThat(spec.path("probeLayout").asText()).isEqualTo("examples");

        String defaults = postAndReadBack("{\"dataset\": \"mnist\", \"method\": \"bp\"}");
        JsonNode resolved = mapper.readTree(defaults).path("spec");
        for (String field : List.of("channels", "feedbackInit", "nesterov", "adamwLearningRate", "norm", "schedule",
                "scheduleMilestones", "scheduleGamma", "augment", "probeLayout")) {
            assertThat(resolved.has(field)).as("resolved " + field).isTrue();
        }
        assertThat(mapper.readTree(defaults).path("sweepId").isNull()).as("no sweep: null").isTrue();
    }

    @Test
    void theSchemaCheckHasTeeth() throws Exception {
        String value = postAndReadBack("{\"dataset\": \"mnist\", \"method\": \"bp\"}");
        ObjectNode broken = (ObjectNode) mapper.readTree(value);
        ((ObjectNode) broken.get("spec")).put("epochs", 0);
        ((ObjectNode) broken.get("spec")).remove("probeSize");

        assertThat(CONTRACT.violations("run-requested.schema.json", broken))
                .as("the $ref to run-spec.schema.json is resolved and applied").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void everyExampleParsesIntoTheGatewayRecords() throws Exception {
        List<Path> examples = new java.util.ArrayList<>(CONTRACT.examples(""));
        assertThat(examples).hasSizeGreaterThanOrEqualTo(13);
        // folded in the order of a run's life: attempt 1, then attempt 2 (resumed), its cancellation, its end;
        // attempt 1's SUCCEEDED and FAILED examples come after and are ignored (an older attempt, a final state)
        examples.sort(java.util.Comparator.comparingInt(EventContractIT::lifeOrder)
                .thenComparing(Path::toString));
        RunRegistry registry = new RunRegistry();
        for (Path example : examples) {
            String json = Files.readString(example);
            String name = example.getFileName().toString();
            if (name.startsWith("run-requested")) {
                RunRequested request = ContractJson.read(json, RunRequested.class);
                assertThat(request.spec().hidden()).isNotEmpty();
                assertThat(request.submittedAt()).isNotNull();
                registry.onRunRequested(request);
            } else if (name.startsWith("run-event")) {
                RunEvent event = ContractJson.read(json, RunEvent.class);
                assertThat(event.type()).as(name).isNotNull();
                assertThat(event.time()).as(name).isNotNull();
                registry.onRunEvent(event);
            } else if (name.startsWith("snapshot-recorded")) {
                SnapshotRecorded snapshot = ContractJson.read(json, SnapshotRecorded.class);
                assertThat(snapshot.signals()).isNotEmpty().allSatisfy(s -> assertThat(s.key()).isNotBlank());
                registry.onSnapshot(snapshot);
            } else if (name.startsWith("analysis-result")) {
                AnalysisResult result = ContractJson.read(json, AnalysisResult.class);
                assertThat(result.effectiveRank()).isPositive();
                registry.onAnalysis(result);
            } else if (name.startsWith("run-cancellation")) {
                RunCancellation cancellation = ContractJson.read(json, RunCancellation.class);
                assertThat(cancellation.requestedAt()).isNotNull();
                registry.onCancellation(cancellation);
            } else if (name.startsWith("alignment-result")) {
                AlignmentResult result = ContractJson.read(json, AlignmentResult.class);
                assertThat(result.weightFeedbackAngle()).isNotNull();
                registry.onAlignment(result);
            } else {
                throw new AssertionError("an example the gateway does not know: " + name);
            }
        }
        assertThat(registry.find("run-6b1f0c2e")).get().satisfies(run -> {
            assertThat(run.spec()).isNotNull();
            assertThat(run.checkpoints()).containsExactly("runs/run-6b1f0c2e/checkpoints/epoch-0001.ckpt");
            assertThat(run.snapshots()).hasSize(1);
            assertThat(run.analysis()).hasSize(1);
            assertThat(run.alignment()).hasSize(1);
            assertThat(run.warnings()).extracting(Run.Warning::step).containsExactly(700L);
            assertThat(run.spec().channels()).as("defaults of an older record").containsExactly(32, 64);
            assertThat(run.spec().norm()).isEqualTo(Norm.NONE);
            assertThat(run.attempt()).isEqualTo(2);
            assertThat(run.resumedFromStep()).isEqualTo(800L);
            assertThat(run.cancelRequestedAt()).isNotNull();
            assertThat(run.state()).isEqualTo(org.falab.gateway.RunState.CANCELLED);
            assertThat(run.reason()).isEqualTo("cancelled by the API");
        });
        assertThat(registry.find("run-4f7a11c0aa21")).get().satisfies(run -> {
            assertThat(run.sweepId()).isEqualTo("sweep-91ce02b4d1f0");
            assertThat(run.cell()).containsEntry("optimizer", "muon").containsEntry("seed", 1);
            assertThat(run.spec().model()).isEqualTo(Model.RESNET20);
        });
        assertThat(registry.sweep("sweep-91ce02b4d1f0")).hasSize(1);
    }

    private static int lifeOrder(Path example) {
        String name = example.getFileName().toString();
        if (name.startsWith("run-requested")) {
            return 0;
        }
        return switch (name) {
            case "run-event-started.json" -> 1;
            case "run-event-started-resumed.json" -> 3;
            case "run-event-heartbeat.json" -> 4;
            case "run-cancellation.json" -> 5;
            case "run-event-cancelled.json" -> 6;
            case "run-event-succeeded.json", "run-event-failed.json" -> 7;
            default -> 2;
        };
    }

    private String postAndReadBack(String spec) {
        String id = given().contentType(ContentType.JSON).body(spec)
                .when().post("/api/v1/runs")
                .then().statusCode(202)
                .extract().path("id");
        ConsumerRecord<String, String> record = KafkaTestClients
                .findByKey(Topics.RUN_REQUESTS, id, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no RunRequested for " + id + " on " + Topics.RUN_REQUESTS));
        return record.value();
    }
}
