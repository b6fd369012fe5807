package org.falab.analysis.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.ejml.dense.row.CommonOps_DDRM;
import jakarta.validation.Validation;

import org.falab.analysis.rank.EffectiveRank;
import org.falab.analysis.rank.RankSummary;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.EventContract;
import org.falab.contracts.events.Quantities;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.json.ContractJson;
import org.junit.jupiter.api.Test;

/**
 * What the service writes validates against docs/events/analysis-result.schema.json and
 * alignment-result.schema.json (nulls written, not left out), and every docs/events/examples/snapshot-recorded*.json
 * parses into {@link SnapshotRecorded}, as does a snapshot with every quantity.
 */
class SnapshotContractTest {

    private static final EventContract CONTRACT = EventContract.fromModule();
    private static final SnapshotReader READER =
            new SnapshotReader(Validation.buildDefaultValidatorFactory().getValidator(), new SnapshotScope("falab"));

    private static final String RESULT_SCHEMA = "analysis-result.schema.json";
    private static final String ALIGNMENT_SCHEMA = "alignment-result.schema.json";

    @Test
    void writtenResultsValidateAgainstTheSchema() {
        RankSummary identity = EffectiveRank.analyse(CommonOps_DDRM.identity(12));
        RankSummary zero = EffectiveRank.analyse(new org.ejml.data.DMatrixRMaj(5, 3));
        for (RankSummary rank : List.of(identity, zero)) {
            String json = ContractJson.write(new AnalysisResult("run-6b1f0c2e", 100, 1, "fc1", 0,
                    Quantities.ERROR_SIGNAL, rank.effectiveRank(), rank.singularValueCount(), rank.rows(), rank.cols(),
                    rank.nearZeroRows(), Instant.parse("2026-11-26T17:10:13.123456Z")));
            assertThat(CONTRACT.violations(RESULT_SCHEMA, json)).as(json).isEmpty();
            assertThat(json).contains("\"time\":\"2026-11-26T17:10:13.123456Z\"");
        }
    }

    @Test
    void theSchemaValidatorRejectsWhatTheContractForbids() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        String valid = ContractJson.write(new AnalysisResult("r", 1, 0, "fc1", 0, Quantities.ERROR_SIGNAL, 1.5, 3, 4, 3,
                0, Instant.EPOCH));
        assertThat(CONTRACT.violations(RESULT_SCHEMA, valid)).isEmpty();

        ObjectNode missing = (ObjectNode) mapper.readTree(valid);
        missing.remove("nearZeroRows");
        ObjectNode negative = (ObjectNode) mapper.readTree(valid);
        negative.put("effectiveRank", -1.0);
        ObjectNode badTime = (ObjectNode) mapper.readTree(valid);
        badTime.put("time", "yesterday");
        for (ObjectNode bad : List.of(missing, negative, badTime)) {
            assertThat(CONTRACT.violations(RESULT_SCHEMA, bad.toString())).as(bad.toString()).isNotEmpty();
        }
    }

    @Test
    void everyRankedQuantityValidates() {
        for (String quantity : Quantities.RANKED) {
            String json = ContractJson.write(new AnalysisResult("r", 1, 0, "fc1", 0, quantity, 1.5, 3, 4, 3, 0,
                    Instant.EPOCH));
            assertThat(CONTRACT.violations(RESULT_SCHEMA, json)).as(json).isEmpty();
        }
        String weight = ContractJson.write(new AnalysisResult("r", 1, 0, "fc1", 0, Quantities.WEIGHT, 1.5, 3, 4, 3, 0,
                Instant.EPOCH));
        assertThat(CONTRACT.violations(RESULT_SCHEMA, weight)).as("weights are not ranked").isNotEmpty();
    }

    @Test
    void writtenAlignmentResultsValidateAgainstTheSchemaWithNullsWritten() {
        Instant time = Instant.parse("2026-11-26T17:10:13.5Z");
        List<AlignmentResult> results = List.of(
                new AlignmentResult("run-6b1f0c2e", 100, 1, "fc2", 1, 61.3, 72.8, 0.93, time),
                new AlignmentResult("run-6b1f0c2e", 100, 1, "fc2", 1, 180.0, null, null, time),
                new AlignmentResult("run-6b1f0c2e", 100, 1, "fc1", 0, null, 0.0, 3.0, time),
                new AlignmentResult("run-6b1f0c2e", 0, 0, "fc1", 0, null, null, null, time));
        for (AlignmentResult result : results) {
            String json = ContractJson.write(result);
            assertThat(CONTRACT.violations(ALIGNMENT_SCHEMA, json)).as(json).isEmpty();
            assertThat(ContractJson.read(json, AlignmentResult.class)).isEqualTo(result);
        }
        assertThat(ContractJson.write(results.get(1))).contains("\"weightFeedbackAngle\":null")
                .contains("\"feedbackToWeightNormRatio\":null");
    }

    @Test
    void theAlignmentSchemaRejectsWhatTheContractForbids() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        String valid = ContractJson.write(new AlignmentResult("r", 1, 0, "fc1", 0, 10.0, 20.0, 1.0, Instant.EPOCH));
        ObjectNode missing = (ObjectNode) mapper.readTree(valid);
        missing.remove("weightFeedbackAngle");
        ObjectNode tooWide = (ObjectNode) mapper.readTree(valid);
        tooWide.put("errorSignalAngleToBp", 181.0);
        ObjectNode negativeRatio = (ObjectNode) mapper.readTree(valid);
        negativeRatio.put("feedbackToWeightNormRatio", -1.0);
        for (ObjectNode bad : List.of(missing, tooWide, negativeRatio)) {
            assertThat(CONTRACT.violations(ALIGNMENT_SCHEMA, bad.toString())).as(bad.toString()).isNotEmpty();
        }
    }

    @Test
    void theAlignmentExampleRoundTrips() throws IOException {
        List<Path> examples = CONTRACT.examples("alignment-result");
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            String json = Files.readString(example);
            assertThat(CONTRACT.violations(ALIGNMENT_SCHEMA, json)).isEmpty();
            AlignmentResult parsed = ContractJson.read(json, AlignmentResult.class);
            assertThat(CONTRACT.violations(ALIGNMENT_SCHEMA, ContractJson.write(parsed))).isEmpty();
            assertThat(parsed.weightFeedbackAngle()).isEqualTo(72.8);
        }
    }

    @Test
    void aSnapshotWithEveryQuantityParses() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode snapshot = (ObjectNode) mapper.readTree(
                Files.readString(CONTRACT.examples("snapshot-recorded").get(0)));
        com.fasterxml.jackson.databind.node.ArrayNode signals = snapshot.putArray("signals");
        for (String quantity : Quantities.ALL) {
            signals.addObject().put("layer", "fc1").put("layerIndex", 0).put("quantity", quantity)
                    .put("key", "runs/run-6b1f0c2e/snapshots/step-00000100/fc1." + quantity + ".npy").put("rows", 4)
                    .put("cols", 3).put("layout", "examples x features");
        }
        assertThat(CONTRACT.violations("snapshot-recorded.schema.json", snapshot.toString())).isEmpty();
        assertThat(READER.read(snapshot.toString()).signals())
                .extracting(SnapshotRecorded.Signal::quantity).containsExactlyElementsOf(Quantities.ALL);

        signals.add(signals.get(0).deepCopy());
        assertThatThrownBy(() -> READER.read(snapshot.toString())).as("duplicate layer and quantity")
                .isInstanceOf(InvalidSnapshotException.class);
    }

    @Test
    void theResultExampleRoundTrips() throws IOException {
        List<Path> examples = CONTRACT.examples("analysis-result");
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            String json = Files.readString(example);
            assertThat(CONTRACT.violations(RESULT_SCHEMA, json)).isEmpty();
            AnalysisResult parsed = ContractJson.read(json, AnalysisResult.class);
            assertThat(CONTRACT.violations(RESULT_SCHEMA, ContractJson.write(parsed))).isEmpty();
            assertThat(parsed.runId()).isEqualTo("run-6b1f0c2e");
        }
    }

    @Test
    void everySnapshotExampleParsesIntoTheRecord() throws IOException {
        List<Path> examples = CONTRACT.examples("snapshot-recorded");
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            String json = Files.readString(example);
            assertThat(CONTRACT.violations("snapshot-recorded.schema.json", json)).as(example.toString())
                    .isEmpty();
            SnapshotRecorded snapshot = READER.read(json);
            assertThat(snapshot.runId()).isNotBlank();
            assertThat(snapshot.bucket()).isNotBlank();
            assertThat(snapshot.time()).isNotNull();
            assertThat(snapshot.signals()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.key()).isNotBlank();
                assertThat(s.quantity()).isEqualTo(Quantities.ERROR_SIGNAL);
            });
        }
        SnapshotRecorded first = READER.read(Files.readString(examples.get(0)));
        assertThat(first.step()).isEqualTo(100);
        assertThat(first.signals()).extracting(SnapshotRecorded.Signal::layer).containsExactly("fc1", "fc2", "fc3");
        assertThat(first.signals().get(2).cols()).isEqualTo(10);
    }

    @Test
    void malformedSnapshotsAreRejected() throws IOException {
        String example = Files.readString(CONTRACT.examples("snapshot-recorded").get(0));
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode noSignals = (ObjectNode) mapper.readTree(example);
        noSignals.remove("signals");
        ObjectNode emptySignals = (ObjectNode) mapper.readTree(example);
        emptySignals.putArray("signals");
        ObjectNode noStep = (ObjectNode) mapper.readTree(example);
        noStep.remove("step");
        ObjectNode stringStep = (ObjectNode) mapper.readTree(example);
        stringStep.put("step", "100");
        ObjectNode badQuantity = (ObjectNode) mapper.readTree(example);
        ((ObjectNode) badQuantity.get("signals").get(0)).put("quantity", "weights");
        ObjectNode noKey = (ObjectNode) mapper.readTree(example);
        ((ObjectNode) noKey.get("signals").get(1)).remove("key");
        ObjectNode badTime = (ObjectNode) mapper.readTree(example);
        badTime.put("time", "soon");

        // out of scope (SnapshotScope): another bucket, another run's key, a key that climbs out of the run
        ObjectNode otherBucket = (ObjectNode) mapper.readTree(example);
        otherBucket.put("bucket", "secrets");
        ObjectNode otherRun = (ObjectNode) mapper.readTree(example);
        ((ObjectNode) otherRun.get("signals").get(0)).put("key",
                "runs/run-other/snapshots/step-00000100/fc1.error-signal.npy");
        ObjectNode climbing = (ObjectNode) mapper.readTree(example);
        ((ObjectNode) climbing.get("signals").get(0)).put("layer", "../../run-other/snapshots/step-00000100/fc1")
                .put("key", "runs/run-6b1f0c2e/snapshots/step-00000100/../../run-other/snapshots/step-00000100/fc1.error-signal.npy");

        for (String bad : List.of("not json", "", "[]", "{}", noSignals.toString(), emptySignals.toString(),
                noStep.toString(), stringStep.toString(), badQuantity.toString(), noKey.toString(),
                badTime.toString(), otherBucket.toString(), otherRun.toString(), climbing.toString())) {
            assertThatThrownBy(() -> READER.read(bad)).as(bad)
                    .isInstanceOf(InvalidSnapshotException.class);
        }
    }
}
