package org.falab.analysis.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.ejml.data.DMatrixRMaj;
import org.falab.analysis.alignment.LayerAlignment;
import org.falab.analysis.config.AnalysisConfig;
import org.falab.analysis.metrics.AnalysisMetrics;
import org.falab.analysis.metrics.AnalysisMetrics.Outcome;
import org.falab.analysis.rank.EffectiveRank;
import org.falab.analysis.rank.NpyMatrices;
import org.falab.analysis.rank.RankSummary;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.Quantities;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.npy.NpyFormatException;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.storage.MissingObjectException;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Turns one snapshot record into one {@link AnalysisResult} per ranked signal (error-signal, bp-error-signal,
 * activity, update) and one {@link AlignmentResult} per layer with a complete pair of matrices: reads each
 * {@code .npy} from the bucket the event names, computes effective ranks, near-zero rows and alignment angles,
 * publishes the results (key = runId) and waits for the broker to acknowledge all of them, then keeps them for the
 * REST view.
 *
 * <p>Object-store outages are waited out in {@link SnapshotObjects} (retries with backoff); any failure that is
 * left throws, so the listener nacks the record and SmallRye sends it to {@code falab.snapshots.dlq}. Results of a
 * snapshot are only published when every signal of it could be analysed.
 *
 * <p>A duplicate snapshot event (a redelivery after a restart, a producer retry) is harmless rather than a no-op:
 * it is analysed again and its results are published again with the same values (the analysis is deterministic),
 * only {@code time} differs; the REST view and the gateway keep one result per (run, step, layer, quantity), so the
 * second replaces the first.
 */
@ApplicationScoped
public class AnalysisService {

    /** Outgoing channel, topic {@code falab.analysis-results}. */
    public static final String RESULTS_CHANNEL = "analysis-results";
    /** Outgoing channel, topic {@code falab.alignment-results}. */
    public static final String ALIGNMENT_CHANNEL = "alignment-results";

    private static final Logger LOG = Logger.getLogger(AnalysisService.class);

    private final SnapshotObjects objects;
    private final SnapshotReader reader;
    private final ResultStore resultStore;
    private final AnalysisMetrics metrics;
    private final MutinyEmitter<String> emitter;
    private final MutinyEmitter<String> alignmentEmitter;
    private final Duration publishTimeout;
    private final Clock clock;
    private final RepeatedMatrices repeated;

    @Inject
    public AnalysisService(SnapshotObjects objects, SnapshotReader reader, ResultStore resultStore,
                           AnalysisMetrics metrics,
                           AnalysisConfig config, @Channel(RESULTS_CHANNEL) MutinyEmitter<String> emitter,
                           @Channel(ALIGNMENT_CHANNEL) MutinyEmitter<String> alignmentEmitter) {
        this.objects = objects;
        this.reader = reader;
        this.resultStore = resultStore;
        this.metrics = metrics;
        this.emitter = emitter;
        this.alignmentEmitter = alignmentEmitter;
        this.publishTimeout = config.analysis().publishTimeout();
        this.clock = Clock.systemUTC();
        this.repeated = new RepeatedMatrices(config.analysis().repeatedMatrixBytes());
    }

    /** Handles one record value from {@code falab.snapshots}; throws when the record cannot be analysed. */
    public SnapshotAnalysis handle(String payload) {
        long started = System.nanoTime();
        try {
            SnapshotRecorded snapshot = reader.read(payload);
            SnapshotAnalysis analysis = analyse(snapshot);
            publish(snapshot.runId(), analysis);
            resultStore.add(analysis.ranks(), analysis.alignments());
            metrics.effectiveRanks(analysis.ranks());
            metrics.latency(Duration.ofNanos(System.nanoTime() - started));
            metrics.analysed(Outcome.SUCCESS);
            LOG.debugf("run %s step %d: %d rank and %d alignment results published", snapshot.runId(),
                    snapshot.step(), analysis.ranks().size(), analysis.alignments().size());
            return analysis;
        } catch (InvalidSnapshotException | MissingObjectException | IllegalArgumentException e) {
            metrics.analysed(Outcome.INVALID);
            LOG.warnf("snapshot record rejected: %s", e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            metrics.analysed(Outcome.ERROR);
            LOG.errorf(e, "snapshot record failed: %s", e.getMessage());
            throw e;
        }
    }

    /**
     * Reads and analyses every signal of the snapshot (no publishing), one layer at a time so only that layer's
     * matrices are in memory: the effective rank of each {@link Quantities#RANKED ranked quantity}, and the
     * layer's {@link LayerAlignment} when it has a complete pair (error signal and BP error signal, or W and B).
     */
    public SnapshotAnalysis analyse(SnapshotRecorded snapshot) {
        Map<Integer, List<SnapshotRecorded.Signal>> layers = new LinkedHashMap<>();
        for (SnapshotRecorded.Signal signal : snapshot.signals()) {
            layers.computeIfAbsent(signal.layerIndex(), i -> new ArrayList<>()).add(signal);
        }
        List<AnalysisResult> ranks = new ArrayList<>();
        List<AlignmentResult> alignments = new ArrayList<>();
        for (List<SnapshotRecorded.Signal> signals : layers.values()) {
            Map<String, DMatrixRMaj> matrices = new HashMap<>();
            for (SnapshotRecorded.Signal signal : signals) {
                // an object stored under another step's key is a matrix the trainer found unchanged: it repeats
                boolean repeat = !signal.key().equals(ObjectKeys.snapshot(snapshot.runId(), snapshot.step(),
                        signal.layer(), signal.quantity()));
                RepeatedMatrices.Analysed analysed;
                if (repeat) {
                    analysed = repeated.get(snapshot.bucket(), signal.key(), () -> analysed(snapshot.bucket(), signal));
                    // a kept matrix was checked against the event that read it, not against this one
                    checkShape(snapshot.bucket(), signal, analysed.matrix());
                } else {
                    analysed = analysed(snapshot.bucket(), signal);
                }
                matrices.put(signal.quantity(), analysed.matrix());
                RankSummary rank = analysed.rank();
                if (rank != null) {
                    ranks.add(new AnalysisResult(snapshot.runId(), snapshot.step(), snapshot.epoch(),
                            signal.layer(), signal.layerIndex(), signal.quantity(), rank.effectiveRank(),
                            rank.singularValueCount(), rank.rows(), rank.cols(), rank.nearZeroRows(),
                            Instant.now(clock)));
                }
            }
            SnapshotRecorded.Signal first = signals.get(0);
            LayerAlignment.of(matrices.get(Quantities.ERROR_SIGNAL), matrices.get(Quantities.BP_ERROR_SIGNAL),
                            matrices.get(Quantities.WEIGHT), matrices.get(Quantities.FEEDBACK))
                    .ifPresent(a -> alignments.add(new AlignmentResult(snapshot.runId(), snapshot.step(),
                            snapshot.epoch(), first.layer(), first.layerIndex(), a.errorSignalAngleToBp(),
                            a.weightFeedbackAngle(), a.feedbackToWeightNormRatio(), Instant.now(clock))));
        }
        return new SnapshotAnalysis(ranks, alignments);
    }

    /** The signal's matrix and, for a ranked quantity, its rank. */
    private RepeatedMatrices.Analysed analysed(String bucket, SnapshotRecorded.Signal signal) {
        DMatrixRMaj matrix = read(bucket, signal);
        return new RepeatedMatrices.Analysed(matrix,
                Quantities.RANKED.contains(signal.quantity()) ? EffectiveRank.analyse(matrix) : null);
    }

    private DMatrixRMaj read(String bucket, SnapshotRecorded.Signal signal) {
        String where = "s3://" + bucket + "/" + signal.key();
        DMatrixRMaj matrix;
        try {
            matrix = NpyMatrices.read(objects.read(bucket, signal.key()));
        } catch (NpyFormatException e) {
            throw new InvalidSnapshotException(where + ": " + e.getMessage(), e);
        }
        checkShape(bucket, signal, matrix);
        return matrix;
    }

    private static void checkShape(String bucket, SnapshotRecorded.Signal signal, DMatrixRMaj matrix) {
        if (matrix.numRows != signal.rows() || matrix.numCols != signal.cols()) {
            throw new InvalidSnapshotException("s3://" + bucket + "/" + signal.key() + " is " + matrix.numRows + "x"
                    + matrix.numCols + ", the event says " + signal.rows() + "x" + signal.cols(), null);
        }
    }

    /** The results this instance has kept for the run, ordered by step then layerIndex. */
    public Optional<List<AnalysisResult>> resultsFor(String runId) {
        return resultStore.forRun(runId);
    }

    /** The alignment results this instance has kept for the run, ordered by step then layerIndex. */
    public Optional<List<AlignmentResult>> alignmentsFor(String runId) {
        return resultStore.alignmentsFor(runId);
    }

    private void publish(String runId, SnapshotAnalysis analysis) {
        List<Uni<Void>> acks = new ArrayList<>();
        for (AnalysisResult result : analysis.ranks()) {
            acks.add(emitter.sendMessage(KafkaRecord.of(runId, ContractJson.write(result))));
        }
        for (AlignmentResult result : analysis.alignments()) {
            acks.add(alignmentEmitter.sendMessage(KafkaRecord.of(runId, ContractJson.write(result))));
        }
        if (!acks.isEmpty()) {
            Uni.join().all(acks).andFailFast().await().atMost(publishTimeout);
        }
        metrics.alignmentResults(analysis.alignments().size());
    }
}
