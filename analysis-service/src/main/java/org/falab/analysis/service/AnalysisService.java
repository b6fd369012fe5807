package org.falab.analysis.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.ejml.data.DMatrixRMaj;
import org.falab.analysis.config.AnalysisConfig;
import org.falab.analysis.events.AnalysisResult;
import org.falab.analysis.events.EventCodec;
import org.falab.analysis.events.InvalidEventException;
import org.falab.analysis.events.SnapshotRecorded;
import org.falab.analysis.metrics.AnalysisMetrics;
import org.falab.analysis.metrics.AnalysisMetrics.Outcome;
import org.falab.analysis.rank.EffectiveRank;
import org.falab.analysis.rank.NpyFormatException;
import org.falab.analysis.rank.NpyReader;
import org.falab.analysis.rank.RankSummary;
import org.falab.analysis.storage.MissingObjectException;
import org.falab.analysis.storage.ObjectStore;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Turns one snapshot record into one {@link AnalysisResult} per signal: reads each {@code .npy} from the bucket the
 * event names, computes its effective rank and near-zero rows, publishes the results (key = runId) and waits for
 * the broker to acknowledge them, then keeps them for the REST view.
 *
 * <p>Any failure throws, so the listener nacks the record and SmallRye sends it to {@code falab.snapshots.dlq}.
 * Results of a snapshot are only published when every signal of it could be analysed.
 */
@ApplicationScoped
public class AnalysisService {

    /** Outgoing channel, topic {@code falab.analysis-results}. */
    public static final String RESULTS_CHANNEL = "analysis-results";

    private static final Logger LOG = Logger.getLogger(AnalysisService.class);

    private final ObjectStore objectStore;
    private final ResultStore resultStore;
    private final AnalysisMetrics metrics;
    private final MutinyEmitter<String> emitter;
    private final Duration publishTimeout;
    private final Clock clock;

    @Inject
    public AnalysisService(ObjectStore objectStore, ResultStore resultStore, AnalysisMetrics metrics,
                           AnalysisConfig config, @Channel(RESULTS_CHANNEL) MutinyEmitter<String> emitter) {
        this.objectStore = objectStore;
        this.resultStore = resultStore;
        this.metrics = metrics;
        this.emitter = emitter;
        this.publishTimeout = config.analysis().publishTimeout();
        this.clock = Clock.systemUTC();
    }

    /** Handles one record value from {@code falab.snapshots}; throws when the record cannot be analysed. */
    public List<AnalysisResult> handle(String payload) {
        long started = System.nanoTime();
        try {
            SnapshotRecorded snapshot = EventCodec.readSnapshot(payload);
            List<AnalysisResult> results = analyse(snapshot);
            publish(snapshot.runId(), results);
            resultStore.add(results);
            metrics.latency(Duration.ofNanos(System.nanoTime() - started));
            metrics.analysed(Outcome.SUCCESS);
            LOG.debugf("run %s step %d: %d results published", snapshot.runId(), snapshot.step(), results.size());
            return results;
        } catch (InvalidEventException | NpyFormatException | MissingObjectException | IllegalArgumentException e) {
            metrics.analysed(Outcome.INVALID);
            LOG.warnf("snapshot record rejected: %s", e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            metrics.analysed(Outcome.ERROR);
            LOG.errorf(e, "snapshot record failed: %s", e.getMessage());
            throw e;
        }
    }

    /** Reads and analyses every signal of the snapshot (no publishing). */
    public List<AnalysisResult> analyse(SnapshotRecorded snapshot) {
        List<AnalysisResult> results = new ArrayList<>(snapshot.signals().size());
        for (SnapshotRecorded.Signal signal : snapshot.signals()) {
            DMatrixRMaj matrix = NpyReader.read(objectStore.read(snapshot.bucket(), signal.key()));
            if (matrix.numRows != signal.rows() || matrix.numCols != signal.cols()) {
                throw new InvalidEventException("s3://" + snapshot.bucket() + "/" + signal.key() + " is "
                        + matrix.numRows + "x" + matrix.numCols + ", the event says " + signal.rows() + "x"
                        + signal.cols());
            }
            RankSummary rank = EffectiveRank.analyse(matrix);
            results.add(new AnalysisResult(snapshot.runId(), snapshot.step(), snapshot.epoch(), signal.layer(),
                    signal.layerIndex(), signal.quantity(), rank.effectiveRank(), rank.singularValueCount(),
                    rank.rows(), rank.cols(), rank.nearZeroRows(), Instant.now(clock)));
        }
        return results;
    }

    /** The results this instance has kept for the run, ordered by step then layerIndex. */
    public Optional<List<AnalysisResult>> resultsFor(String runId) {
        return resultStore.forRun(runId);
    }

    private void publish(String runId, List<AnalysisResult> results) {
        List<Uni<Void>> acks = new ArrayList<>(results.size());
        for (AnalysisResult result : results) {
            acks.add(emitter.sendMessage(KafkaRecord.of(runId, EventCodec.write(result))));
        }
        Uni.join().all(acks).andFailFast().await().atMost(publishTimeout);
    }
}
