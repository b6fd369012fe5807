package org.falab.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.gateway.registry.RunRegistry;
import org.falab.gateway.service.GatewayMetrics;
import org.jboss.logging.Logger;

/**
 * Folds every record of the replayed topics into the {@link RunRegistry}. The {@link ReplayConsumer} reads them from
 * the beginning with a group id unique to this instance, so a fresh gateway rebuilds every run.
 *
 * <p>A record that is not JSON, does not fit its record type or breaks the contract is logged, counted and skipped:
 * the gateway only reads these topics (it owns none of the work they carry, and the cancellations it writes are
 * idempotent), so skipping is safe and the replay must never stop.
 */
@ApplicationScoped
public class ReplayListener {

    private static final Logger LOG = Logger.getLogger(ReplayListener.class);

    private final RunRegistry registry;
    private final GatewayMetrics metrics;

    public ReplayListener(RunRegistry registry, GatewayMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    public void onRecord(ConsumerRecord<String, String> record) {
        try {
            apply(record.topic(), record.value());
        } catch (Exception e) {
            metrics.recordSkipped(record.topic());
            LOG.warnf("skipped record %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                    record.key(), e.getMessage());
        }
    }

    /** Applies one record value read from {@code topic}; throws when it cannot. */
    void apply(String topic, String value) {
        if (value == null) {
            throw new IllegalArgumentException("record has no value");
        }
        switch (topic) {
            case Topics.RUN_REQUESTS -> registry.onRunRequested(ContractJson.read(value, RunRequested.class));
            case Topics.RUN_CANCELLATIONS ->
                    registry.onCancellation(ContractJson.read(value, RunCancellation.class));
            case Topics.RUN_EVENTS -> registry.onRunEvent(ContractJson.read(value, RunEvent.class));
            case Topics.SNAPSHOTS -> registry.onSnapshot(ContractJson.read(value, SnapshotRecorded.class));
            case Topics.ANALYSIS_RESULTS -> registry.onAnalysis(ContractJson.read(value, AnalysisResult.class));
            case Topics.ALIGNMENT_RESULTS -> registry.onAlignment(ContractJson.read(value, AlignmentResult.class));
            default -> throw new IllegalArgumentException("unexpected topic " + topic);
        }
    }
}
