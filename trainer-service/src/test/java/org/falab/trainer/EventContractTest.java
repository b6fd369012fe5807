package org.falab.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.falab.localstack.EventContract;
import org.falab.localstack.LocalStackResource;
import org.falab.trainer.events.RunEvent;
import org.falab.trainer.events.RunRequested;
import org.falab.trainer.events.SnapshotRecorded;
import org.falab.trainer.listener.InvalidRunRequestException;
import org.falab.trainer.listener.RunRequestParser;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What the trainer writes conforms to docs/events; what the gateway writes (the examples) it can read. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class EventContractTest {

    private final EventContract contract = EventContract.fromModule();

    @Inject
    ObjectMapper json;

    @Inject
    RunRequestParser parser;

    @Test
    void everyRunEventTheTrainerWritesConforms() throws Exception {
        List<RunEvent> events = List.of(
                RunEvent.started("run-1", 100, "PyTorch 2.7.1 on cpu()"),
                RunEvent.progress("run-1", 1, 20, 100, 1.5),
                RunEvent.epochCompleted("run-1", 1, 50, 100, 0.9, 0.75),
                RunEvent.checkpointWritten("run-1", 1, 50, "runs/run-1/checkpoints/epoch-0001.ckpt"),
                RunEvent.warning("run-1", 2, 70L, "loss diverging"),
                RunEvent.succeeded("run-1", 2, 100, 0.5, 0.8, 12.5),
                RunEvent.failed("run-1", 1, 7L, "train loss became NaN at step 7"),
                RunEvent.failed("run-1", null, null, "dataset mnist not found"));
        for (RunEvent event : events) {
            assertThat(contract.violations("run-event.schema.json", json.writeValueAsString(event)))
                    .as(event.type().name()).isEmpty();
        }
    }

    @Test
    void snapshotEventConforms() throws Exception {
        SnapshotRecorded snapshot = new SnapshotRecorded("run-1", 10, 1, Instant.now(), "falab", List.of(
                new SnapshotRecorded.Signal("fc1", 0, "error-signal", "runs/run-1/snapshots/step-00000010/fc1.error-signal.npy",
                        256, 64, "examples x features")));
        assertThat(contract.violations("snapshot-recorded.schema.json", json.writeValueAsString(snapshot))).isEmpty();
    }

    @Test
    void theRunRequestedExampleParsesAndItsSpecIsKept() throws Exception {
        for (Path example : contract.examples("run-requested")) {
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
    }
}
