package org.falab.analysis.events;

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
import org.falab.analysis.rank.EffectiveRank;
import org.falab.analysis.rank.RankSummary;
import org.junit.jupiter.api.Test;

/**
 * What the service writes validates against docs/events/analysis-result.schema.json, and every
 * docs/events/examples/snapshot-recorded*.json parses into {@link SnapshotRecorded}.
 */
class EventContractTest {

    private static final String RESULT_SCHEMA = "analysis-result.schema.json";

    @Test
    void writtenResultsValidateAgainstTheSchema() {
        RankSummary identity = EffectiveRank.analyse(CommonOps_DDRM.identity(12));
        RankSummary zero = EffectiveRank.analyse(new org.ejml.data.DMatrixRMaj(5, 3));
        for (RankSummary rank : List.of(identity, zero)) {
            String json = EventCodec.write(new AnalysisResult("run-6b1f0c2e", 100, 1, "fc1", 0,
                    Events.ERROR_SIGNAL, rank.effectiveRank(), rank.singularValueCount(), rank.rows(), rank.cols(),
                    rank.nearZeroRows(), Instant.parse("2026-11-26T17:10:13.123456Z")));
            assertThat(ContractSchemas.validate(RESULT_SCHEMA, json)).as(json).isEmpty();
            assertThat(json).contains("\"time\":\"2026-11-26T17:10:13.123456Z\"");
        }
    }

    @Test
    void theSchemaValidatorRejectsWhatTheContractForbids() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        String valid = EventCodec.write(new AnalysisResult("r", 1, 0, "fc1", 0, Events.ERROR_SIGNAL, 1.5, 3, 4, 3,
                0, Instant.EPOCH));
        assertThat(ContractSchemas.validate(RESULT_SCHEMA, valid)).isEmpty();

        ObjectNode missing = (ObjectNode) mapper.readTree(valid);
        missing.remove("nearZeroRows");
        ObjectNode negative = (ObjectNode) mapper.readTree(valid);
        negative.put("effectiveRank", -1.0);
        ObjectNode badTime = (ObjectNode) mapper.readTree(valid);
        badTime.put("time", "yesterday");
        for (ObjectNode bad : List.of(missing, negative, badTime)) {
            assertThat(ContractSchemas.validate(RESULT_SCHEMA, bad.toString())).as(bad.toString()).isNotEmpty();
        }
    }

    @Test
    void theResultExampleRoundTrips() throws IOException {
        for (Path example : ContractSchemas.examples("analysis-result")) {
            String json = Files.readString(example);
            assertThat(ContractSchemas.validate(RESULT_SCHEMA, json)).isEmpty();
            AnalysisResult parsed = EventCodec.readResult(json);
            assertThat(ContractSchemas.validate(RESULT_SCHEMA, EventCodec.write(parsed))).isEmpty();
            assertThat(parsed.runId()).isEqualTo("run-6b1f0c2e");
        }
    }

    @Test
    void everySnapshotExampleParsesIntoTheRecord() throws IOException {
        List<Path> examples = ContractSchemas.examples("snapshot-recorded");
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            String json = Files.readString(example);
            assertThat(ContractSchemas.validate("snapshot-recorded.schema.json", json)).as(example.toString())
                    .isEmpty();
            SnapshotRecorded snapshot = EventCodec.readSnapshot(json);
            assertThat(snapshot.runId()).isNotBlank();
            assertThat(snapshot.bucket()).isNotBlank();
            assertThat(snapshot.time()).isNotNull();
            assertThat(snapshot.signals()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.key()).isNotBlank();
                assertThat(s.quantity()).isEqualTo(Events.ERROR_SIGNAL);
            });
        }
        SnapshotRecorded first = EventCodec.readSnapshot(Files.readString(examples.get(0)));
        assertThat(first.step()).isEqualTo(100);
        assertThat(first.signals()).extracting(SnapshotRecorded.Signal::layer).containsExactly("fc1", "fc2", "fc3");
        assertThat(first.signals().get(2).cols()).isEqualTo(10);
    }

    @Test
    void malformedSnapshotsAreRejected() throws IOException {
        String example = Files.readString(ContractSchemas.examples("snapshot-recorded").get(0));
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

        for (String bad : List.of("not json", "", "[]", "{}", noSignals.toString(), emptySignals.toString(),
                noStep.toString(), stringStep.toString(), badQuantity.toString(), noKey.toString(),
                badTime.toString())) {
            assertThatThrownBy(() -> EventCodec.readSnapshot(bad)).as(bad)
                    .isInstanceOf(InvalidEventException.class);
        }
    }
}
