package org.falab.gateway.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.RunState;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;

/**
 * The gateway's view of every run, folded from the five topics. Plain Java, no CDI, thread-safe.
 *
 * <p>Kafka delivers at least once and a gateway replays every topic from the beginning, so each fold is
 * idempotent and tolerant of order across topics:
 * <ul>
 *   <li>events for a run whose RunRequested was not seen yet create the run (without a spec); the request fills
 *       the spec in later and never moves the state back;</li>
 *   <li>SUCCEEDED and FAILED are terminal: later non-terminal events (duplicates, stragglers) do not change the
 *       state;</li>
 *   <li>progress and metrics only move forward in steps: an older PROGRESS does not overwrite a newer one;</li>
 *   <li>a checkpoint key, a snapshot step, an analysis result for the same (step, layer, quantity), an
 *       alignment result for the same (step, layer) and an identical WARNING replace what was there instead of
 *       being appended twice.</li>
 *   <li>a RunRequested with a sweepId makes the run a cell of that sweep; {@link #sweep(String)} rebuilds the
 *       sweep from its runs.</li>
 * </ul>
 * Records that break the contract (no run id, no type, no spec) are rejected with {@link IllegalArgumentException}
 * and change nothing.
 */
public final class RunRegistry {

    private static final Comparator<Entry> NEWEST_FIRST = Comparator
            .comparing((Entry e) -> e.firstSeen, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.id)
            .reversed();

    private static final Comparator<AnalysisResult> ANALYSIS_ORDER = Comparator
            .comparingLong(AnalysisResult::step)
            .thenComparingInt(AnalysisResult::layerIndex)
            .thenComparing(AnalysisResult::layer, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(AnalysisResult::quantity, Comparator.nullsFirst(Comparator.naturalOrder()));

    private static final Comparator<AlignmentResult> ALIGNMENT_ORDER = Comparator
            .comparingLong(AlignmentResult::step)
            .thenComparingInt(AlignmentResult::layerIndex)
            .thenComparing(AlignmentResult::layer, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final Map<String, Entry> runs = new HashMap<>();

    /** A run was requested: QUEUED unless events already moved it further. */
    public synchronized void onRunRequested(RunRequested request) {
        requireRunId(request == null ? null : request.runId(), "RunRequested");
        if (request.spec() == null) {
            throw new IllegalArgumentException("RunRequested " + request.runId() + " has no spec");
        }
        Entry run = entry(request.runId(), request.submittedAt());
        run.spec = request.spec();
        if (request.sweepId() != null) {
            run.sweepId = request.sweepId();
            run.cell = request.cell() == null ? Map.of() : request.cell();
        }
        if (request.submittedAt() != null) {
            run.submittedAt = request.submittedAt();
            run.firstSeen = request.submittedAt();
        }
        run.touch(request.submittedAt());
    }

    /** A trainer reported on a run. */
    public synchronized void onRunEvent(RunEvent event) {
        requireRunId(event == null ? null : event.runId(), "RunEvent");
        if (event.type() == null) {
            throw new IllegalArgumentException("RunEvent for " + event.runId() + " has no type");
        }
        if (event.type() == RunEventType.CHECKPOINT_WRITTEN
                && (event.checkpointKey() == null || event.checkpointKey().isBlank())) {
            throw new IllegalArgumentException("CHECKPOINT_WRITTEN for " + event.runId() + " has no checkpointKey");
        }
        Entry run = entry(event.runId(), event.time());
        run.touch(event.time());
        switch (event.type()) {
            case STARTED -> {
                run.start();
                // a redelivered STARTED (a second attempt) moves the start forward: the last attempt's time counts
                if (event.time() != null && (run.startedAt == null || event.time().isAfter(run.startedAt))) {
                    run.startedAt = event.time();
                }
                if (event.engine() != null) {
                    run.engine = event.engine();
                }
                if (event.device() != null) {
                    run.device = event.device();
                }
            }
            case PROGRESS, EPOCH_COMPLETED -> run.start();
            case CHECKPOINT_WRITTEN -> {
                run.start();
                run.checkpoints.add(event.checkpointKey());
            }
            case SUCCEEDED -> {
                run.state = RunState.SUCCEEDED;
                run.reason = null;
                run.finishedAt = event.time();
            }
            case FAILED -> {
                run.state = RunState.FAILED;
                run.reason = event.reason() == null ? "unknown" : event.reason();
                run.finishedAt = event.time();
            }
            case WARNING -> {
                run.start();
                run.warnings.add(new Run.Warning(event.time(), event.step(),
                        event.reason() == null ? "unknown" : event.reason()));
            }
        }
        run.progress(event);
    }

    /** The probe matrices of one step are in the object store. A second record for the same step replaces it. */
    public synchronized void onSnapshot(SnapshotRecorded snapshot) {
        requireRunId(snapshot == null ? null : snapshot.runId(), "SnapshotRecorded");
        Entry run = entry(snapshot.runId(), snapshot.time());
        run.touch(snapshot.time());
        run.snapshots.put(snapshot.step(), snapshot);
    }

    /** The analysis service measured one matrix. The same (step, layer, quantity) replaces the earlier result. */
    public synchronized void onAnalysis(AnalysisResult result) {
        requireRunId(result == null ? null : result.runId(), "AnalysisResult");
        Entry run = entry(result.runId(), result.time());
        run.touch(result.time());
        run.analysis.put(new AnalysisKey(result.step(), result.layer(), result.quantity()), result);
    }

    /** The analysis service compared a layer's matrices. The same (step, layer) replaces the earlier result. */
    public synchronized void onAlignment(AlignmentResult result) {
        requireRunId(result == null ? null : result.runId(), "AlignmentResult");
        Entry run = entry(result.runId(), result.time());
        run.touch(result.time());
        run.alignment.put(new AnalysisKey(result.step(), result.layer(), ""), result);
    }

    /** The runs of a sweep, by submission time then id; empty when no run of it has been seen. */
    public synchronized List<Run> sweep(String sweepId) {
        return runs.values().stream().filter(e -> sweepId.equals(e.sweepId))
                .sorted(Comparator.comparing((Entry e) -> e.firstSeen, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(e -> e.id))
                .map(Entry::toRun).toList();
    }

    /** The ids of every sweep seen, newest first (by the first submission among its runs). */
    public synchronized List<String> sweepIds() {
        Map<String, Instant> first = new HashMap<>();
        for (Entry e : runs.values()) {
            if (e.sweepId != null) {
                first.merge(e.sweepId, e.firstSeen == null ? Instant.EPOCH : e.firstSeen,
                        (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return first.entrySet().stream()
                .sorted(Map.Entry.<String, Instant>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
    }

    public synchronized Optional<Run> find(String id) {
        Entry run = runs.get(id);
        return run == null ? Optional.empty() : Optional.of(run.toRun());
    }

    /** Runs, newest first (by submission time, else by the first event seen). */
    public synchronized List<Run> list(int limit) {
        return runs.values().stream().sorted(NEWEST_FIRST).limit(limit).map(Entry::toRun).toList();
    }

    public synchronized int size() {
        return runs.size();
    }

    /** How many runs are in each state; every state is present. */
    public synchronized Map<RunState, Long> countByState() {
        Map<RunState, Long> counts = new EnumMap<>(RunState.class);
        for (RunState state : RunState.values()) {
            counts.put(state, 0L);
        }
        runs.values().forEach(run -> counts.merge(run.state, 1L, Long::sum));
        return counts;
    }

    private Entry entry(String id, Instant time) {
        return runs.computeIfAbsent(id, key -> new Entry(key, time));
    }

    private static void requireRunId(String runId, String what) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException(what + " without runId");
        }
    }

    private record AnalysisKey(long step, String layer, String quantity) {
    }

    /** Mutable state of one run; only touched under the registry's lock. */
    private static final class Entry {
        final String id;
        RunState state = RunState.QUEUED;
        String reason;
        RunSpec spec;
        Instant submittedAt;
        Instant firstSeen;
        Instant updatedAt;
        Instant startedAt;
        Instant finishedAt;
        Integer epoch;
        Long step;
        Long totalSteps;
        Double trainLoss;
        long trainLossStep = -1;
        Double testAccuracy;
        long testAccuracyStep = -1;
        Double trainingSeconds;
        String engine;
        String device;
        final Set<String> checkpoints = new LinkedHashSet<>();
        final Map<Long, SnapshotRecorded> snapshots = new TreeMap<>();
        final Map<AnalysisKey, AnalysisResult> analysis = new LinkedHashMap<>();
        final Map<AnalysisKey, AlignmentResult> alignment = new LinkedHashMap<>();
        final Set<Run.Warning> warnings = new LinkedHashSet<>();
        String sweepId;
        Map<String, Object> cell;

        Entry(String id, Instant firstSeen) {
            this.id = id;
            this.firstSeen = firstSeen;
        }

        void touch(Instant time) {
            if (time != null && (updatedAt == null || time.isAfter(updatedAt))) {
                updatedAt = time;
            }
            if (submittedAt == null && time != null && (firstSeen == null || time.isBefore(firstSeen))) {
                firstSeen = time;
            }
        }

        /** Evidence that a trainer works on the run; never leaves a terminal state. */
        void start() {
            if (state == RunState.QUEUED) {
                state = RunState.RUNNING;
            }
        }

        /** Progress and metrics move forward only: an event older (in steps) than what is known is ignored. */
        void progress(RunEvent event) {
            long eventStep = event.step() == null ? -1 : event.step();
            if (event.step() != null && (step == null || eventStep >= step)) {
                step = event.step();
                if (event.epoch() != null) {
                    epoch = event.epoch();
                }
            } else if (step == null && event.epoch() != null && (epoch == null || event.epoch() >= epoch)) {
                epoch = event.epoch();
            }
            if (event.totalSteps() != null) {
                totalSteps = event.totalSteps();
            }
            if (event.trainLoss() != null && eventStep >= trainLossStep) {
                trainLoss = event.trainLoss();
                trainLossStep = eventStep;
            }
            if (event.testAccuracy() != null && eventStep >= testAccuracyStep) {
                testAccuracy = event.testAccuracy();
                testAccuracyStep = eventStep;
            }
            if (event.trainingSeconds() != null) {
                trainingSeconds = event.trainingSeconds();
            }
        }

        Run toRun() {
            List<AnalysisResult> results = new ArrayList<>(analysis.values());
            results.sort(ANALYSIS_ORDER);
            return new Run(id, state, reason, spec, submittedAt, firstSeen, updatedAt, startedAt, finishedAt,
                    new Run.Progress(epoch, step, totalSteps),
                    new Run.Metrics(trainLoss, testAccuracy, trainingSeconds, engine, device),
                    List.copyOf(checkpoints), List.copyOf(snapshots.values()), List.copyOf(results),
                    warnings.stream().sorted(Comparator.comparing(Run.Warning::time,
                            Comparator.nullsFirst(Comparator.naturalOrder()))).toList(),
                    alignment.values().stream().sorted(ALIGNMENT_ORDER).toList(), sweepId, cell);
        }
    }
}
