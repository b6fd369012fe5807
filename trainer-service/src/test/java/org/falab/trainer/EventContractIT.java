package org.falab.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.falab.contracts.events.EventContract;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.json.ContractJson;
import org.falab.localstack.LocalStackResource;
import org.falab.trainer.listener.InvalidRunRequestException;
import org.falab.trainer.listener.RunRequestParser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What the trainer writes conforms to docs/events; what the gateway writes (the examples) it can read. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class EventContractIT {

    private final EventContract contract = EventContract.fromModule();

    @Inject
    RunRequestParser parser;

    @Test
    void everyRunEventTheTrainerWritesConforms() throws Exception {
        List<RunEvent> events = List.of(
                RunEvent.started("run-1", 100, "PyTorch 2.7.1 on cpu()", "cpu"),
                RunEvent.progress("run-1", 1, 20, 100, 1.5),
                RunEvent.epochCompleted("run-1", 1, 50, 100, 0.9, 0.75),
                RunEvent.checkpointWritten("run-1", 1, 50, "runs/run-1/checkpoints/epoch-0001.ckpt"),
                RunEvent.warning("run-1", 2, 70L, "loss diverging"),
                RunEvent.succeeded("run-1", 2, 100, 0.5, 0.8, 12.5),
                RunEvent.failed("run-1", 1, 7L, "train loss became NaN at step 7"),
                RunEvent.failed("run-1", null, null, "dataset mnist not found"));
        for (RunEvent event : events) {
            assertThat(contract.violations("run-event.schema.json", ContractJson.write(event)))
                    .as(event.type().name()).isEmpty();
        }
    }

    @Test
    void snapshotEventConforms() throws Exception {
        SnapshotRecorded snapshot = new SnapshotRecorded("run-1", 10, 1, Instant.now(), "falab", List.of(
                new SnapshotRecorded.Signal("fc1", 0, "error-signal", "runs/run-1/snapshots/step-00000010/fc1.error-signal.npy",
                        256, 64, "examples x features")));
        assertThat(contract.violations("snapshot-recorded.schema.json", ContractJson.write(snapshot))).isEmpty();
    }

    @Test
    void theRunRequestedExampleParsesAndItsSpecIsKept() throws Exception {
        List<Path> examples = contract.examples("run-requested");
        assertThat(examples).as("run-requested examples").isNotEmpty();
        for (Path example : examples) {
            RunRequested request = parser.parse(Files.readString(example));
            assertThat(request.runId()).isNotBlank();
            assertThat(request.spec().hidden()).isNotEmpty();
            assertThat(request.submittedAt()).isNotNull();
        }
    }

    @Test
    void foreignRecordsAreRejected() {
        assertThatThrownBy(() -> parser.parse("[1,2]")).isInstanceOf(InvalidRunRequestException.class);
        assertThatThrownBy(() -> parser.parse("{\"runId\":\"UPPER case\",\"spec\":null}"))
                .isInstanceOf(InvalidRunRequestException.class).hasMessageContaining("runId");
        // a spec within the types but beyond the bounds, or that cannot train, is dead-lettered with the reason
        String example = "{\"runId\": \"run-0123456789ab\", \"submittedAt\": \"2026-12-01T00:00:00Z\", \"spec\": ";
        assertThatThrownBy(() -> parser.parse(example + "{\"dataset\": \"mnist\", \"method\": \"fa\", \"hidden\": [0]}}"))
                .isInstanceOf(InvalidRunRequestException.class).hasMessageContaining("spec.hidden[0]: must be at least 1");
        assertThatThrownBy(() -> parser.parse(example + "{\"dataset\": \"cifar10\", \"model\": \"resnet20\","
                + " \"method\": \"dfa\"}}")).isInstanceOf(InvalidRunRequestException.class)
                .hasMessageContaining("spec.method: dfa is not supported with resnet20");
        assertThatThrownBy(() -> parser.parse(example + "{\"dataset\": \"mnist\", \"method\": \"fa\","
                + " \"probeSize\": 4097}}")).isInstanceOf(InvalidRunRequestException.class)
                .hasMessageContaining("spec.probeSize: must be at most 4096");
    }
}
