package org.falab.gateway.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.falab.contracts.auth.Claims;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.spec.RunSpec;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.gateway.RunState;

/**
 * The gateway's view of every run, folded from the replayed topics. Plain Java, no CDI, thread-safe.
 *
 * <p>Kafka delivers at least once and a gateway replays every topic from the beginning, so each fold is
 * idempotent (the same record applied twice changes nothing) and tolerant of order across topics (a run's records
 * on one topic keep their order, records on different topics interleave in any order):
 * <ul>
 *   <li>records for a run whose RunRequested was not seen yet create the run (without a spec); the request fills
 *       the spec in later and never moves the state back;</li>
 *   <li>attempts: an event without {@code attempt} is attempt 1; events of an attempt older than the newest seen
 *       for the run are ignored (a trainer that lost the run still talking); a newer attempt's events apply, and
 *       its progress replaces the older attempt's even where it is behind (it resumed from a checkpoint);</li>
 *   <li>SUCCEEDED, FAILED and CANCELLED events are terminal: every later event of the run is ignored;</li>
 *   <li>progress and metrics only move forward in steps within an attempt;</li>
 *   <li>a checkpoint key, a snapshot step, an analysis result for the same (step, layer, quantity), an
 *       alignment result for the same (step, layer) and an identical WARNING replace what was there instead of
 *       being appended twice;</li>
 *   <li>a RunCancellation marks the run cancelled (the earliest request counts). The state is derived when a run is
 *       read, from the records, not from the order they came in: a cancelled run no trainer reported on is
 *       CANCELLED (trainers read the cancellations and never start it), one a trainer works on is CANCELLING until
 *       the trainer's CANCELLED;</li>
 *   <li>every event of the current attempt is a heartbeat: a RUNNING or CANCELLING run whose last one is older than
 *       {@link Limits#stalledAfter()} by the registry's clock is STALLED (a CANCELLING run gets that long again from
 *       its cancellation, for the trainer to answer it);</li>
 *   <li>a RunRequested with a sweepId makes the run a cell of that sweep; {@link #sweep(String)} rebuilds the
 *       sweep from its runs. One with an idempotency key indexes the run (or its sweep) under the key, the earliest
 *       submission winning, so a rebuilt gateway answers a client's retry like the one that took it.</li>
 * </ul>
 * Records that break the contract (no run id, no type, no spec) are rejected with {@link IllegalArgumentException}
 * and change nothing.
 *
 * <p>Memory per run is bounded by {@link Limits}: the latest progress, the train loss and test accuracy of at most
 * {@code maxMetricSteps} steps, at most {@code maxProbeSteps} snapshot, analysis and alignment steps each
 * (downsampled, see {@link StepSeries}), the
 * newest {@code maxWarnings} warnings and {@code maxCheckpoints} checkpoint keys. Strings repeated in every point
 * (run id, layer, quantity, layout, bucket) are shared, and snapshot keys that follow {@link ObjectKeys} are not kept
 * but derived when read.
 */
public final class RunRegistry {

    /**
     * How the view is bounded and when a run counts as stalled.
     *
     * @param stalledAfter   a RUNNING or CANCELLING run without an event of its current attempt for longer is
     *                       STALLED
     * @param maxProbeSteps  most probe steps kept per run for snapshots, analysis and alignment results each
     * @param maxWarnings    most WARNING events kept per run (the newest)
     * @param maxCheckpoints most checkpoint keys kept per run (the newest)
     * @param maxMetricSteps most steps of train loss and test accuracy kept per run (downsampled, see
     *                       {@link StepSeries}): the curves of the web page and of metrics.csv
     */
    /** Most attempts kept per run (the newest): a run preempted again and again stays small. */
    public static final int MAX_ATTEMPTS = 50;

    public record Limits(Duration stalledAfter, int maxProbeSteps, int maxWarnings, int maxCheckpoints,
                         int maxMetricSteps) {

        public static final int DEFAULT_MAX_METRIC_STEPS = 1000;

        public Limits {
            if (stalledAfter == null || stalledAfter.isNegative() || stalledAfter.isZero()) {
                throw new IllegalArgumentException("stalledAfter must be positive");
            }
            if (maxProbeSteps < 2 || maxWarnings < 1 || maxCheckpoints < 1 || maxMetricSteps < 2) {
                throw new IllegalArgumentException(
                        "maxProbeSteps and maxMetricSteps >= 2, maxWarnings and maxCheckpoints >= 1");
            }
        }

        public Limits(Duration stalledAfter, int maxProbeSteps, int maxWarnings, int maxCheckpoints) {
            this(stalledAfter, maxProbeSteps, maxWarnings, maxCheckpoints, DEFAULT_MAX_METRIC_STEPS);
        }

        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(60), 64, 100, 100);
        }
    }

    /** What an idempotency key was first used for: the run (or sweep) id and the SHA-256 of the body. */
    public record Keyed(String id, String requestHash, Instant submittedAt) {
    }

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

    private static final Comparator<Keyed> EARLIEST = Comparator
            .comparing(Keyed::submittedAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Keyed::id);

    private final Clock clock;
    private final Limits limits;
    private final Map<String, Entry> runs = new HashMap<>();
    private final Map<String, Keyed> runKeys = new HashMap<>();
    private final Map<String, Keyed> sweepKeys = new HashMap<>();
    private final Names names = new Names();

    /** The system clock and the default limits. */
    public RunRegistry() {
        this(Clock.systemUTC(), Limits.defaults());
    }

    public RunRegistry(Clock clock, Limits limits) {
        this.clock = clock;
        this.limits = limits;
    }

    /** A run was requested: QUEUED unless other records already moved it further. */
    public synchronized void onRunRequested(RunRequested request) {
        requireRunId(request == null ? null : request.runId(), "RunRequested");
        if (request.spec() == null) {
            throw new IllegalArgumentException("RunRequested " + request.runId() + " has no spec");
        }
        Entry run = entry(request.runId(), request.submittedAt());
        run.spec = request.spec();
        run.owner = request.owner();
        run.project = request.project() == null ? Claims.DEFAULT_PROJECT : request.project();
        if (request.sweepId() != null) {
            run.sweepId = request.sweepId();
            run.cell = request.cell() == null ? Map.of() : request.cell();
        }
        if (request.submittedAt() != null) {
            run.submittedAt = request.submittedAt();
            run.firstSeen = request.submittedAt();
        }
        run.touch(request.submittedAt());
        if (request.idempotencyKey() != null) {
            boolean sweep = request.sweepId() != null;
            Keyed keyed = new Keyed(sweep ? request.sweepId() : request.runId(), request.requestHash(),
                    request.submittedAt());
            (sweep ? sweepKeys : runKeys).merge(request.idempotencyKey(), keyed,
                    (a, b) -> EARLIEST.compare(a, b) <= 0 ? a : b);
        }
    }

    /** Someone asked for the run to stop. The earliest request counts; a finished run is not changed by it. */
    public synchronized void onCancellation(RunCancellation cancellation) {
        requireRunId(cancellation == null ? null : cancellation.runId(), "RunCancellation");
        if (cancellation.requestedAt() == null) {
            throw new IllegalArgumentException("RunCancellation for " + cancellation.runId() + " has no requestedAt");
        }
        Entry run = entry(cancellation.runId(), cancellation.requestedAt());
        if (run.cancelRequestedAt == null || cancellation.requestedAt().isBefore(run.cancelRequestedAt)) {
            run.cancelRequestedAt = cancellation.requestedAt();
        }
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
        int attempt = event.attempt() == null ? 1 : event.attempt();
        if (attempt < 1) {
            throw new IllegalArgumentException("RunEvent for " + event.runId() + " has attempt " + attempt);
        }
        Entry run = entry(event.runId(), event.time());
        if (run.state.isTerminal() || attempt < run.attempt) {
            // final, or a trainer that lost the run to a newer attempt: nothing it says changes the run
            return;
        }
        if (attempt > run.attempt) {
            run.newAttempt(attempt, event.time());
        }
        run.touch(event.time());
        run.heartbeat(event.time());
        switch (event.type()) {
            case STARTED -> {
                run.start();
                // the newest STARTED of the attempt counts (a redelivered one changes nothing)
                if (event.time() != null && (run.startedAt == null || event.time().isAfter(run.startedAt))) {
                    run.startedAt = event.time();
                }
                if (event.resumedFromStep() != null) {
                    run.resumedFromStep = event.resumedFromStep();
                } else if (run.resumedFromStep == null) {
                    run.resumedFromStep = 0L;
                }
                if (event.engine() != null) {
                    run.engine = event.engine();
                }
                if (event.device() != null) {
                    run.device = event.device();
                }
                run.currentAttempt().started(run.startedAt, run.resumedFromStep, run.device);
            }
            case PROGRESS, EPOCH_COMPLETED, HEARTBEAT -> run.start();
            case CHECKPOINT_WRITTEN -> {
                run.start();
                addBounded(run.checkpoints, event.checkpointKey(), limits.maxCheckpoints());
            }
            case SUCCEEDED -> run.finish(RunState.SUCCEEDED, null, event.time());
            case FAILED -> run.finish(RunState.FAILED, event.reason() == null ? "unknown" : event.reason(),
                    event.time());
            case CANCELLED -> run.finish(RunState.CANCELLED, event.reason(), event.time());
            case WARNING -> {
                run.start();
                addBounded(run.warnings, new Run.Warning(event.time(), event.step(),
                        event.reason() == null ? "unknown" : event.reason()), limits.maxWarnings());
            }
        }
        run.progress(event);
    }

    /** The probe matrices of one step are in the object store. A second record for the same step replaces it. */
    public synchronized void onSnapshot(SnapshotRecorded snapshot) {
        requireRunId(snapshot == null ? null : snapshot.runId(), "SnapshotRecorded");
        Entry run = entry(snapshot.runId(), snapshot.time());
        run.touch(snapshot.time());
        StoredSnapshot stored = StoredSnapshot.of(run.id, snapshot, names);
        run.snapshots.update(snapshot.step(), previous -> stored);
    }

    /** The analysis service measured one matrix. The same (step, layer, quantity) replaces the earlier result. */
    public synchronized void onAnalysis(AnalysisResult result) {
        requireRunId(result == null ? null : result.runId(), "AnalysisResult");
        Entry run = entry(result.runId(), result.time());
        run.touch(result.time());
        AnalysisResult shared = new AnalysisResult(run.id, result.step(), result.epoch(), names.of(result.layer()),
                result.layerIndex(), names.of(result.quantity()), result.effectiveRank(), result.singularValueCount(),
                result.rows(), result.cols(), result.nearZeroRows(), result.time());
        run.analysis.update(result.step(), step -> {
            Map<PointKey, AnalysisResult> points = step == null ? new LinkedHashMap<>() : step;
            points.put(new PointKey(shared.layer(), shared.quantity()), shared);
            return points;
        });
    }

    /** The analysis service compared a layer's matrices. The same (step, layer) replaces the earlier result. */
    public synchronized void onAlignment(AlignmentResult result) {
        requireRunId(result == null ? null : result.runId(), "AlignmentResult");
        Entry run = entry(result.runId(), result.time());
        run.touch(result.time());
        AlignmentResult shared = new AlignmentResult(run.id, result.step(), result.epoch(), names.of(result.layer()),
                result.layerIndex(), result.errorSignalAngleToBp(), result.weightFeedbackAngle(),
                result.feedbackToWeightNormRatio(), result.time());
        run.alignment.update(result.step(), step -> {
            Map<PointKey, AlignmentResult> points = step == null ? new LinkedHashMap<>() : step;
            points.put(new PointKey(shared.layer(), ""), shared);
            return points;
        });
    }

    /** The run submitted with this idempotency key (not as part of a sweep), if any. */
    public synchronized Optional<Keyed> runForKey(String idempotencyKey) {
        return Optional.ofNullable(runKeys.get(idempotencyKey));
    }

    /** The sweep submitted with this idempotency key, if any. */
    public synchronized Optional<Keyed> sweepForKey(String idempotencyKey) {
        return Optional.ofNullable(sweepKeys.get(idempotencyKey));
    }

    /** The runs of a sweep, by submission time then id; empty when no run of it has been seen. */
    public synchronized List<Run> sweep(String sweepId) {
        Instant now = clock.instant();
        return runs.values().stream().filter(e -> sweepId.equals(e.sweepId))
                .sorted(Comparator.comparing((Entry e) -> e.firstSeen, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(e -> e.id))
                .map(e -> e.toRun(now, limits.stalledAfter())).toList();
    }

    /** The ids of every sweep seen, newest first (by the first submission among its runs). */
    public synchronized List<String> sweepIds() {
        return sweepIds(project -> true);
    }

    /** The ids of the sweeps of the projects {@code visible} accepts, newest first. */
    public synchronized List<String> sweepIds(Predicate<String> visible) {
        Map<String, Instant> first = new HashMap<>();
        for (Entry e : runs.values()) {
            if (e.sweepId != null && visible.test(e.project)) {
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
        return run == null ? Optional.empty() : Optional.of(run.toRun(clock.instant(), limits.stalledAfter()));
    }

    /** Runs, newest first (by submission time, else by the first record seen). */
    public synchronized List<Run> list(int limit) {
        return list(limit, project -> true);
    }

    /** The runs of the projects {@code visible} accepts, newest first, at most {@code limit}. */
    public synchronized List<Run> list(int limit, Predicate<String> visible) {
        Instant now = clock.instant();
        return runs.values().stream().filter(e -> visible.test(e.project)).sorted(NEWEST_FIRST).limit(limit)
                .map(e -> e.toRun(now, limits.stalledAfter())).toList();
    }

    /**
     * Every run, newest first, without its per-step series (snapshots, analysis and alignment are empty lists):
     * what a table of runs needs, at a fraction of {@link #list(int)}'s cost for thousands of runs.
     */
    public synchronized List<Run> listWithoutSeries() {
        Instant now = clock.instant();
        return runs.values().stream().sorted(NEWEST_FIRST)
                .map(e -> e.toRun(now, limits.stalledAfter(), false)).toList();
    }

    /** The run's train loss and test accuracy by step (downsampled, see {@link Limits#maxMetricSteps()}). */
    public synchronized Optional<List<Run.MetricPoint>> metricHistory(String id) {
        Entry run = runs.get(id);
        return run == null ? Optional.empty() : Optional.of(run.history.values());
    }

    /**
     * A number that changes whenever a record reached the run (and may have changed its view), -1 for an unknown
     * run: a live client compares it instead of the whole view. A run's state can also change with the clock alone
     * (STALLED); compare {@link Run#state()} for that.
     */
    public synchronized long version(String id) {
        Entry run = runs.get(id);
        return run == null ? -1 : run.version;
    }

    /** How many runs of this owner are not SUCCEEDED, FAILED or CANCELLED yet (queued, running, stalled, ...). */
    public synchronized int activeRuns(String owner) {
        Instant now = clock.instant();
        return (int) runs.values().stream().filter(e -> owner.equals(e.owner))
                .filter(e -> !e.viewState(now, limits.stalledAfter()).isTerminal()).count();
    }

    public synchronized int size() {
        return runs.size();
    }

    /** How many runs are in each state (as of now); every state is present. */
    public synchronized Map<RunState, Long> countByState() {
        Map<RunState, Long> counts = new EnumMap<>(RunState.class);
        for (RunState state : RunState.values()) {
            counts.put(state, 0L);
        }
        Instant now = clock.instant();
        runs.values().forEach(run -> counts.merge(run.viewState(now, limits.stalledAfter()), 1L, Long::sum));
        return counts;
    }

    /**
     * When the run that has waited longest for a trainer was submitted (its request's submittedAt, else the first
     * record seen of it); empty when no run is QUEUED. Runs cancelled before a trainer took them do not wait.
     */
    public synchronized Optional<Instant> oldestQueuedSince() {
        Instant now = clock.instant();
        return runs.values().stream()
                .filter(run -> run.viewState(now, limits.stalledAfter()) == RunState.QUEUED)
                .map(run -> run.submittedAt != null ? run.submittedAt : run.firstSeen)
                .filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder());
    }

    /** How long the oldest QUEUED run has waited, as of now; zero when none waits (an empty queue has no age). */
    public synchronized Duration oldestQueuedAge() {
        Instant now = clock.instant();
        return oldestQueuedSince().map(since -> since.isAfter(now) ? Duration.ZERO : Duration.between(since, now))
                .orElse(Duration.ZERO);
    }

    public Limits limits() {
        return limits;
    }

    private Entry entry(String id, Instant time) {
        Entry run = runs.computeIfAbsent(id, key -> new Entry(key, time, limits));
        // every record that reaches a run may change its view; a record that changes nothing costs a client of
        // the live endpoint one identical update, which is cheaper than comparing views
        run.version++;
        return run;
    }

    private static void requireRunId(String runId, String what) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException(what + " without runId");
        }
    }

    /** Adds to an insertion-ordered set, dropping the oldest element beyond {@code max}. */
    private static <T> void addBounded(Set<T> set, T element, int max) {
        if (set.add(element) && set.size() > max) {
            Iterator<T> oldest = set.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private record PointKey(String layer, String quantity) {
    }

    /**
     * One copy of each name repeated in every point (layer, quantity, layout, bucket), so 64 steps of 20 layers
     * hold 20 layer strings, not 1280. Bounded: past {@link #MAX} distinct names a name is kept as it came.
     */
    static final class Names {
        private static final int MAX = 10_000;
        private final Map<String, String> pool = new HashMap<>();

        String of(String name) {
            if (name == null) {
                return null;
            }
            String shared = pool.get(name);
            if (shared != null) {
                return shared;
            }
            if (pool.size() < MAX) {
                pool.put(name, name);
            }
            return name;
        }
    }

    /** A snapshot as the API serves it; a signal's key is null when it is the one {@link ObjectKeys} gives. */
    private record StoredSnapshot(long step, int epoch, Instant time, String bucket, List<StoredSignal> signals) {

        static StoredSnapshot of(String runId, SnapshotRecorded s, Names names) {
            List<StoredSignal> signals = new ArrayList<>();
            if (s.signals() != null) {
                for (SnapshotRecorded.Signal signal : s.signals()) {
                    String layer = names.of(signal.layer());
                    String quantity = names.of(signal.quantity());
                    boolean derived = signal.key() != null && layer != null && quantity != null
                            && signal.key().equals(ObjectKeys.snapshot(runId, s.step(), layer, quantity));
                    signals.add(new StoredSignal(layer, quantity, derived ? null : signal.key()));
                }
            }
            return new StoredSnapshot(s.step(), s.epoch(), s.time(), names.of(s.bucket()), List.copyOf(signals));
        }

        Run.Snapshot toSnapshot(String runId) {
            List<String> keys = new ArrayList<>(signals.size());
            for (StoredSignal signal : signals) {
                keys.add(signal.key() != null ? signal.key()
                        : ObjectKeys.snapshot(runId, step, signal.layer(), signal.quantity()));
            }
            return new Run.Snapshot(step, epoch, time, bucket, List.copyOf(keys));
        }
    }

    private record StoredSignal(String layer, String quantity, String key) {
    }

    /** Mutable state of one run; only touched under the registry's lock. */
    private static final class Entry {
        final String id;
        /** QUEUED, RUNNING (a trainer reported) or the terminal state a trainer reported. */
        RunState state = RunState.QUEUED;
        String reason;
        RunSpec spec;
        Instant submittedAt;
        Instant firstSeen;
        Instant updatedAt;
        Instant startedAt;
        Instant finishedAt;
        int attempt;
        Long resumedFromStep;
        Instant lastHeartbeatAt;
        Instant cancelRequestedAt;
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
        /** Oldest first, the newest {@link #MAX_ATTEMPTS}. */
        final ArrayDeque<AttemptRecord> attempts = new ArrayDeque<>();
        final StepSeries<StoredSnapshot> snapshots;
        final StepSeries<Map<PointKey, AnalysisResult>> analysis;
        final StepSeries<Map<PointKey, AlignmentResult>> alignment;
        final Set<Run.Warning> warnings = new LinkedHashSet<>();
        String sweepId;
        Map<String, Object> cell;
        final StepSeries<Run.MetricPoint> history;
        long version;
        String owner;
        /** {@code default} until a RunRequested names another (older records name none). */
        String project = Claims.DEFAULT_PROJECT;

        Entry(String id, Instant firstSeen, Limits limits) {
            this.id = id;
            this.firstSeen = firstSeen;
            this.snapshots = new StepSeries<>(limits.maxProbeSteps());
            this.analysis = new StepSeries<>(limits.maxProbeSteps());
            this.alignment = new StepSeries<>(limits.maxProbeSteps());
            this.history = new StepSeries<>(limits.maxMetricSteps());
        }

        void touch(Instant time) {
            if (time != null && (updatedAt == null || time.isAfter(updatedAt))) {
                updatedAt = time;
            }
            if (submittedAt == null && time != null && (firstSeen == null || time.isBefore(firstSeen))) {
                firstSeen = time;
            }
        }

        void heartbeat(Instant time) {
            if (time != null && (lastHeartbeatAt == null || time.isAfter(lastHeartbeatAt))) {
                lastHeartbeatAt = time;
            }
        }

        /**
         * A newer attempt took the run, typically resuming from a checkpoint behind where the old one got: its
         * progress starts over (the step guards reset), its STARTED sets resumedFromStep, and the old attempt's
         * heartbeats no longer count.
         */
        void newAttempt(int number, Instant time) {
            if (attempt > 0) {
                currentAttempt().end(Run.Attempt.REPLACED, time);
            }
            attempt = number;
            currentAttempt();
            resumedFromStep = null;
            lastHeartbeatAt = null;
            step = null;
            trainLossStep = -1;
            testAccuracyStep = -1;
        }

        /** Evidence that a trainer works on the run; never leaves a terminal state. */
        void start() {
            if (state == RunState.QUEUED) {
                state = RunState.RUNNING;
            }
        }

        void finish(RunState terminal, String why, Instant time) {
            state = terminal;
            reason = why;
            finishedAt = time;
            if (attempt > 0) {
                currentAttempt().end(terminal.name(), time);
            }
        }

        /** The record of the newest attempt (created when none was seen, e.g. its STARTED was not replayed). */
        AttemptRecord currentAttempt() {
            AttemptRecord current = attempts.peekLast();
            if (current == null || current.number != attempt) {
                current = new AttemptRecord(attempt);
                attempts.addLast(current);
                while (attempts.size() > MAX_ATTEMPTS) {
                    attempts.removeFirst();
                }
            }
            return current;
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
            if (event.step() != null && (event.trainLoss() != null || event.testAccuracy() != null)) {
                // the same step again (a redelivery, or a resumed attempt retraining it) keeps the newest values;
                // a loss and an accuracy of one step may come in separate events
                history.update(event.step(), previous -> Run.MetricPoint.merge(previous, event.step(),
                        event.epoch(), event.trainLoss(), event.testAccuracy(), event.time()));
            }
        }

        /** The state as the API shows it at {@code now} (see the class comment). */
        RunState viewState(Instant now, Duration stalledAfter) {
            if (state.isTerminal()) {
                return state;
            }
            boolean cancelled = cancelRequestedAt != null;
            if (state == RunState.QUEUED) {
                return cancelled ? RunState.CANCELLED : RunState.QUEUED;
            }
            return stalled(now, stalledAfter) ? RunState.STALLED
                    : cancelled ? RunState.CANCELLING : RunState.RUNNING;
        }

        private boolean stalled(Instant now, Duration stalledAfter) {
            Instant reference = lastHeartbeatAt;
            if (cancelRequestedAt != null && (reference == null || cancelRequestedAt.isAfter(reference))) {
                reference = cancelRequestedAt;
            }
            return reference != null && Duration.between(reference, now).compareTo(stalledAfter) > 0;
        }

        Run toRun(Instant now, Duration stalledAfter) {
            return toRun(now, stalledAfter, true);
        }

        Run toRun(Instant now, Duration stalledAfter, boolean withSeries) {
            RunState shown = viewState(now, stalledAfter);
            List<AnalysisResult> results = new ArrayList<>();
            List<AlignmentResult> alignments = new ArrayList<>();
            if (withSeries) {
                analysis.values().forEach(points -> results.addAll(points.values()));
                results.sort(ANALYSIS_ORDER);
                alignment.values().forEach(points -> alignments.addAll(points.values()));
                alignments.sort(ALIGNMENT_ORDER);
            }
            return new Run(id, shown, reason, spec, submittedAt, firstSeen, updatedAt, startedAt, finishedAt,
                    new Run.Progress(epoch, step, totalSteps),
                    new Run.Metrics(trainLoss, testAccuracy, trainingSeconds, engine, device),
                    List.copyOf(checkpoints),
                    withSeries ? snapshots.values().stream().map(s -> s.toSnapshot(id)).toList() : List.of(),
                    List.copyOf(results),
                    warnings.stream().sorted(Comparator.comparing(Run.Warning::time,
                            Comparator.nullsFirst(Comparator.naturalOrder()))).toList(),
                    List.copyOf(alignments), sweepId, cell,
                    attempt == 0 ? null : attempt, resumedFromStep, lastHeartbeatAt,
                    shown == RunState.STALLED ? lastHeartbeatAt : null, cancelRequestedAt, owner, project,
                    attempts.stream().map(AttemptRecord::toAttempt).toList());
        }
    }

    /** Mutable record of one attempt; only touched under the registry's lock. */
    private static final class AttemptRecord {
        final int number;
        Instant startedAt;
        Long resumedFromStep;
        String device;
        String ended;
        Instant endedAt;

        AttemptRecord(int number) {
            this.number = number;
        }

        void started(Instant at, Long fromStep, String on) {
            startedAt = at;
            resumedFromStep = fromStep;
            device = on;
        }

        void end(String how, Instant at) {
            if (ended == null) {
                ended = how;
                endedAt = at;
            }
        }

        Run.Attempt toAttempt() {
            return new Run.Attempt(number, startedAt, resumedFromStep, device, ended, endedAt);
        }
    }
}
