package org.falab.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.learning.checkpoint.Checkpoint;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.checkpoint.TensorEntry;
import org.falab.localstack.LocalObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The trainer under faults, on the whole packaged stack: trainers SIGKILLed at random steps, a second trainer joining
 * the share group while a run trains, a trainer stopped with SIGTERM, the broker away for 30 s and the object store
 * away for 30 s. Every run must end SUCCEEDED, resume from its checkpoints, lose no event or object, and (on CPU) end
 * with the very parameters of the same run trained straight through. Short locks (5 s) and checkpoints every 5 steps
 * keep each fault cheap; the runs are small synthetic ones, long enough that every fault lands mid-run.
 *
 * <p>The kill steps come from a seeded {@link Random}: the seed is printed, and {@code -Dfalab.fault.seed=N} replays
 * one. Each service's log is {@code target/pipeline-it/fault-*.log}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerFaultIT {

    /** Over the stack's trainer test settings, for every trainer of this class. */
    private static final Map<String, String> TRAINER = Map.of(
            "falab.queue.lock-duration", "5s",
            "falab.queue.heartbeat-every", "1s",
            "falab.checkpoints.every-steps", "5",
            // every SIGKILL leaves an attempt without an outcome; the default (3) dead-letters the run at the fourth
            "falab.queue.max-failed-attempts", "10");

    private static final int BATCH = 8;
    /** probeEvery beyond every run's steps: one probe, at the last step (the analysis service has less to do). */
    private static final int ONLY_LAST_PROBE = 100_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    /** A trainer JVM starting on two busy cores, plus the lapse of the killed trainer's lock. */
    private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(150);

    private static PipelineStack.Running stack;
    private static EventLog events;
    private static final List<ServiceProcess> trainers = new ArrayList<>();
    private static int trainersStarted;
    /** One client of the bucket (a MinioClient takes about a second to build), built anew after the store restarts. */
    private static MinioClient bucket;
    /** Every run the tests submitted, for the last test. */
    private static final List<String> submitted = new ArrayList<>();
    /** Trainers being started in the background (test 1), waited for before the stack stops. */
    private static final List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();

    @BeforeAll
    static void startStack() {
        long start = System.nanoTime();
        stack = PipelineStack.start("fault-", TRAINER);
        trainers.add(stack.trainer());
        events = new EventLog(stack.kafka().bootstrapServers());
        say("stack up in %.1f s", seconds(start));
    }

    @AfterAll
    static void stopStack() {
        for (CompletableFuture<ServiceProcess> pending : starting) {
            try {
                pending.get(3, TimeUnit.MINUTES);
            } catch (Exception e) {
                // it did not start: nothing to stop
            }
        }
        if (events != null) {
            events.close();
        }
        for (ServiceProcess trainer : trainers) {
            if (stack == null || trainer != stack.trainer()) {
                trainer.close();
            }
        }
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * A reference run trained straight through, then the same spec and seed as another run whose trainer is SIGKILLed
     * at five random steps, a fresh trainer taking over each time: every later attempt resumes from the newest
     * checkpoint, the run ends SUCCEEDED with the same steps, and its final parameters are bit-identical.
     */
    @Test
    @Order(1)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aRunKilledAtRandomStepsResumesEveryTimeAndEndsBitIdenticalToTheRunTrainedStraightThrough() throws Exception {
        long testStart = System.nanoTime();
        keepTrainers(1);
        long seed = Long.getLong("falab.fault.seed", System.currentTimeMillis());
        Map<String, Object> spec = spec("bp", 1536, 2, ONLY_LAST_PROBE, 1234);

        String reference = submit(spec);
        RunEvent referenceEnd = awaitEnd(reference);
        assertThat(referenceEnd.type()).as(events.describe(reference)).isEqualTo(RunEventType.SUCCEEDED);
        assertThat(events.events(reference, RunEventType.STARTED)).singleElement()
                .satisfies(s -> assertThat(s.resumedFromStep()).isZero());
        long total = referenceEnd.step();
        say("reference run %s: %d steps in %.1f s (%.1f s training)", reference, total, seconds(testStart),
                referenceEnd.trainingSeconds());

        List<Long> killSteps = killSteps(new Random(seed), total, 5);
        say("kill seed %d (-Dfalab.fault.seed=%d replays it): kill after steps %s of %d", seed, seed, killSteps,
                total);

        String id = submit(spec);
        awaitStarted(id, 1);
        List<String> kills = new ArrayList<>();
        for (long killStep : killSteps) {
            int attempt = events.latestAttempt(id);
            // the trainer that takes the run next starts now, so that its JVM's start overlaps the training
            CompletableFuture<ServiceProcess> next = CompletableFuture.supplyAsync(TrainerFaultIT::newTrainer);
            starting.add(next);
            awaitAttemptBeyond(id, attempt, killStep);
            ServiceProcess victim = trainerOf(id, attempt);
            long seen = events.latestStep(id, attempt);
            victim.kill();
            long after = Math.max(seen, events.latestStep(id, attempt));
            kills.add("attempt " + attempt + " on " + victim.name() + ": chosen step " + killStep + ", killed at step "
                    + seen + " (last reported " + after + ")");
            say("SIGKILL %s", kills.get(kills.size() - 1));
            next.get(3, TimeUnit.MINUTES);
            awaitStarted(id, attempt + 1);
        }
        RunEvent end = awaitEnd(id);
        say("run %s: %s after %d kills; %.1f s for the test so far%n%s", id, end.type(), kills.size(),
                seconds(testStart), events.describe(id));

        assertThat(end.type()).as(events.describe(id)).isEqualTo(RunEventType.SUCCEEDED);
        assertThat(end.step()).isEqualTo(total);
        assertThat(events.events(id).stream().filter(RunEvent::isTerminal)).hasSize(1);
        List<RunEvent> started = events.events(id, RunEventType.STARTED);
        assertThat(started).extracting(RunEvent::attempt).as(events.describe(id))
                .containsExactlyElementsOf(range(1, killSteps.size() + 1));
        assertResumedFromTheNewestCheckpoint(id);
        assertNoAttemptTrainsAfterANewerOneStarted(id);

        // the final checkpoints of both runs: every parameter tensor bit for bit
        Checkpoint expected = Checkpoints.read(object(ObjectKeys.checkpoint(reference, 2)));
        Checkpoint actual = Checkpoints.read(object(ObjectKeys.checkpoint(id, 2)));
        assertThat(actual.manifest().step()).isEqualTo(expected.manifest().step()).isEqualTo(total);
        List<String> parameters = expected.manifest().tensors().stream()
                .filter(t -> TensorEntry.PARAMETER.equals(t.role())).map(TensorEntry::name).toList();
        assertThat(parameters).isNotEmpty();
        assertThat(actual.manifest().tensors().stream().filter(t -> TensorEntry.PARAMETER.equals(t.role()))
                .map(TensorEntry::name)).containsExactlyElementsOf(parameters);
        for (String name : parameters) {
            float[] want = expected.tensors().get(name).toFloatArray();
            float[] got = actual.tensors().get(name).toFloatArray();
            assertThat(Arrays.equals(got, want)).as("parameter %s of %s equals the reference %s's, bit for bit",
                    name, id, reference).isTrue();
        }

        JsonPath view = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> run(id), r -> "SUCCEEDED".equals(r.getString("state")));
        assertThat(view.getLong("progress.step")).isEqualTo(total);
        say("kill test: %.1f s; kills: %s", seconds(testStart), kills);
    }

    /**
     * A second trainer joins the share group while a run trains: the run stays with its trainer (one attempt), the
     * newcomer takes the next queued run and both train at once; then the first trainer is killed and the newcomer
     * resumes its run once it is free. At no time do two attempts of a run train.
     */
    @Test
    @Order(2)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aTrainerJoiningTakesTheQueuedRunNotTheOneInTrainingAndResumesItWhenItsTrainerDies() throws Exception {
        long testStart = System.nanoTime();
        keepTrainers(1);
        // long enough (1024 steps) that the newcomer's JVM starts, joins and trains another run meanwhile
        String first = submit(spec("bp", 4096, 2, ONLY_LAST_PROBE, 21));
        awaitStarted(first, 1);
        awaitAttemptBeyond(first, 1, 10);
        ServiceProcess firstTrainer = trainerOf(first, 1);

        ServiceProcess newcomer = newTrainer();
        long joinedAt = events.latestStep(first, 1);
        say("%s joined the group at step %d of %s", newcomer.name(), joinedAt, first);
        awaitAttemptBeyond(first, 1, joinedAt + 15);
        assertThat(events.events(first, RunEventType.STARTED)).as("joining must not start the run again%n%s",
                events.describe(first)).hasSize(1);

        String second = submit(spec("bp", 512, 1, ONLY_LAST_PROBE, 22));
        RunEvent secondStarted = awaitStarted(second, 1);
        assertThat(trainerOf(second, secondStarted.attempt())).as("the idle trainer takes the queued run")
                .isSameAs(newcomer);
        int secondAttempt = secondStarted.attempt();
        long firstAt = events.latestStep(first, 1);
        long secondAt = events.latestStep(second, secondAttempt);
        awaitTrue("both runs train at once", Duration.ofSeconds(60), () -> events.latestStep(first, 1) >= firstAt + 10
                && events.latestStep(second, secondAttempt) >= secondAt + 10);

        long killedAt = events.latestStep(first, 1);
        firstTrainer.kill();
        say("SIGKILL %s at step %d of %s (the newcomer trains %s at step %d)", firstTrainer.name(), killedAt, first,
                second, events.latestStep(second, secondAttempt));

        RunEvent secondEnd = awaitEnd(second);
        awaitStarted(first, 2);
        RunEvent firstEnd = awaitEnd(first);
        say("two trainers: %.1f s%n%s%n%s", seconds(testStart), events.describe(first), events.describe(second));

        assertThat(secondEnd.type()).as(events.describe(second)).isEqualTo(RunEventType.SUCCEEDED);
        assertThat(firstEnd.type()).as(events.describe(first)).isEqualTo(RunEventType.SUCCEEDED);
        assertThat(firstEnd.step()).isEqualTo(2 * 4096 / BATCH);
        List<RunEvent> firstStarts = events.events(first, RunEventType.STARTED);
        assertThat(firstStarts).as(events.describe(first)).hasSize(2);
        assertThat(trainerOf(first, firstStarts.get(1).attempt())).isSameAs(newcomer);
        assertNoAttemptTrainsAfterANewerOneStarted(first);
        assertResumedFromTheNewestCheckpoint(first);
        // they overlapped: the second run's progress lies inside the first run's first attempt
        Instant firstFrom = progress(first, 1).get(0).time();
        Instant firstTo = progress(first, 1).get(progress(first, 1).size() - 1).time();
        List<RunEvent> secondProgress = progress(second, secondAttempt);
        assertThat(secondProgress.stream().filter(e -> e.time().isAfter(firstFrom) && e.time().isBefore(firstTo)))
                .as("PROGRESS of %s between %s and %s", second, firstFrom, firstTo).isNotEmpty();
        // each run was delivered only to the trainers that trained it: a delivery to a busy trainer (held or
        // released by it) uses up one of the broker's deliveries of the record (group.share.delivery.count.limit)
        // and makes the next attempt count as one that died (AttemptLedger.failedBefore)
        assertThat(List.of(secondStarted.attempt(), firstStarts.get(1).attempt()))
                .as("attempt numbers of %s's first STARTED and of %s's STARTED after the kill", second, first)
                .containsExactly(1, 2);
    }

    /**
     * One trainer, busy with a run for about ten of its lock renewals: a second run submitted meanwhile waits in the
     * queue and is trained once, as its first attempt, when the first run ends. (Every delivery of the queued run to
     * the busy trainer counts: the broker archives the record at group.share.delivery.count.limit, 10 on the test
     * broker, 5 by default, and the run would never start; a delivery the busy trainer held and hands to its
     * training later is a second training of the run.)
     */
    @Test
    @Order(3)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aRunQueuedWhileEveryTrainerIsBusyWaitsAndIsTrainedNext() throws Exception {
        long testStart = System.nanoTime();
        keepTrainers(1);
        String busy = submit(spec("bp", 4096, 1, ONLY_LAST_PROBE, 61));
        awaitStarted(busy, 1);
        String queued = submit(spec("bp", 512, 1, ONLY_LAST_PROBE, 62));
        long queuedAt = System.nanoTime();
        RunEvent busyEnd = awaitEnd(busy);
        double waited = seconds(queuedAt);
        assertThat(busyEnd.type()).as(events.describe(busy)).isEqualTo(RunEventType.SUCCEEDED);
        // the queued run may start the moment the busy one ends: none of its events comes before that end
        assertThat(events.events(queued)).as("%s waits while the only trainer trains %s", queued, busy)
                .allMatch(e -> !e.time().isBefore(busyEnd.time()));
        say("%s waited %.1f s in the queue", queued, waited);
        RunEvent started;
        try {
            started = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> events.events(queued, RunEventType.STARTED).stream().findFirst().orElse(null),
                            java.util.Objects::nonNull);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(queued + " (queued for " + Math.round(waited) + " s while the only trainer"
                    + " was busy) did not start within 30 s of the trainer becoming free: its run request was"
                    + " probably archived by the broker after group.share.delivery.count.limit deliveries", e);
        }
        RunEvent end = awaitEnd(queued);
        say("queued run: %.1f s; %s started as attempt %d%n%s", seconds(testStart), queued, started.attempt(),
                events.describe(queued));
        assertThat(end.type()).as(events.describe(queued)).isEqualTo(RunEventType.SUCCEEDED);
        // trained once: no delivery of it that the busy trainer held turns up later and is trained again
        sleep(Duration.ofSeconds(3));
        assertThat(events.events(queued, RunEventType.STARTED)).as("%s is trained once%n%s", queued,
                events.describe(queued)).hasSize(1);
        assertThat(started.attempt()).as("the queued run's first attempt").isEqualTo(1);
    }

    /**
     * SIGTERM: the trainer checkpoints at the step it stops at and gives the run back; the next trainer resumes it from
     * exactly that checkpoint.
     */
    @Test
    @Order(4)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aTrainerStoppedWithSigtermCheckpointsGivesTheRunBackAndTheNextTrainerResumesFromThatStep() throws Exception {
        long testStart = System.nanoTime();
        keepTrainers(1);
        String id = submit(spec("bp", 1536, 1, ONLY_LAST_PROBE, 31));
        awaitStarted(id, 1);
        ServiceProcess stopping = trainerOf(id, 1);
        awaitAttemptBeyond(id, 1, 20);

        long signalledAt = events.latestStep(id, 1);
        long stopStart = System.nanoTime();
        assertThat(stopping.terminate(Duration.ofSeconds(60))).as("%s exits after SIGTERM", stopping.name())
                .isTrue();
        say("SIGTERM %s at step %d of %s: exited in %.1f s", stopping.name(), signalledAt, id, seconds(stopStart));
        // no trainer now: the run waits in the queue for the next one, which counts failed attempts as in
        // production (falab.queue.max-failed-attempts 3): a run given back once must not come near that
        Map<String, String> defaults = new java.util.HashMap<>(TRAINER);
        defaults.remove("falab.queue.max-failed-attempts");
        ServiceProcess next = newTrainer(defaults);
        RunEvent resumed = awaitStarted(id, 2);
        RunEvent end = awaitEnd(id);
        say("sigterm: %.1f s%n%s", seconds(testStart), events.describe(id));

        List<RunEvent> firstAttempt = events.events(id).stream()
                .filter(e -> e.attempt() != null && e.attempt() == 1 && e.type() != RunEventType.HEARTBEAT).toList();
        RunEvent last = firstAttempt.get(firstAttempt.size() - 1);
        long stopStep = events.latestStep(id, 1);
        assertThat(last.type()).as("attempt 1 ends with its stop checkpoint%n%s", events.describe(id))
                .isEqualTo(RunEventType.CHECKPOINT_WRITTEN);
        assertThat(last.step()).as("the stop checkpoint is of the last step trained").isEqualTo(stopStep);
        assertThat(stopStep).isGreaterThanOrEqualTo(signalledAt);
        assertThat(last.checkpointKey()).isIn(ObjectKeys.stepCheckpoint(id, stopStep), ObjectKeys.checkpoint(id, 1));
        assertThat(stopping.logText()).contains("run " + id + ": given back at step " + stopStep);
        assertThat(resumed.resumedFromStep()).isEqualTo(stopStep);
        assertThat(trainerOf(id, resumed.attempt())).isSameAs(next);
        assertThat(new String(object(ObjectKeys.attempt(id, 1)), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"outcome\":\"GIVEN_BACK\"");
        assertThat(end.type()).as(events.describe(id)).isEqualTo(RunEventType.SUCCEEDED);
        assertThat(end.step()).isEqualTo(1536 / BATCH);
        assertNoAttemptTrainsAfterANewerOneStarted(id);
        // the run was delivered twice: to the trainer that gave it back, and to the next one. A delivery in between
        // (to a trainer that does not train it) counts as an attempt that died (AttemptLedger.failedBefore counts
        // every attempt number without a GIVEN_BACK record: with the default limit of 3, two such deliveries fail
        // the run) and uses up one of the broker's deliveries of the record (group.share.delivery.count.limit)
        assertThat(resumed.attempt()).as("the attempt after the one given back%n%s", events.describe(id))
                .isEqualTo(2);
    }

    /**
     * The broker away for 30 s mid-run, then back on the same port with its data: the run goes on and ends SUCCEEDED,
     * and every step's PROGRESS and every probe's snapshot event are there.
     */
    @Test
    @Order(5)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aBrokerAwayForThirtySecondsDelaysTheRunButLosesNoEvent() throws Exception {
        long testStart = System.nanoTime();
        keepTrainers(1);
        int probeEvery = 64;
        String id = submit(spec("bp", 1536, 1, probeEvery, 41));
        awaitStarted(id, 1);
        awaitAttemptBeyond(id, 1, 20);
        long before = events.latestStep(id);
        long stopStart = System.nanoTime();
        BrokerOutage.stop(stack.kafka());
        say("broker stopped at step %d of %s (%.1f s to stop)", before, id, seconds(stopStart));
        sleep(Duration.ofSeconds(30));
        long startStart = System.nanoTime();
        BrokerOutage.start(stack.kafka());
        say("broker back after %.1f s (%.1f s to start)", seconds(stopStart), seconds(startStart));

        RunEvent end = awaitEnd(id);
        say("broker outage: %.1f s%n%s", seconds(testStart), events.describe(id));
        assertThat(end.type()).as(events.describe(id)).isEqualTo(RunEventType.SUCCEEDED);
        long total = 1536 / BATCH;
        assertThat(end.step()).isEqualTo(total);
        assertEveryStepReported(id, total);
        assertThat(events.snapshots(id).stream().map(SnapshotRecorded::step).collect(Collectors.toSet()))
                .as("a SnapshotRecorded for every probe step").containsAll(probeSteps(total, probeEvery));
        assertThat(events.unreadable()).isEmpty();
        // a run taken again is a new, higher attempt (RunEvent.attempt), whatever happened to the broker
        assertAttemptsNumberedInOrder(id);
    }

    /**
     * The object store away for 30 s mid-run, then back on the same port and folder: the run waits, goes on and ends
     * SUCCEEDED; every snapshot object it announced and its checkpoints are in the bucket, and the analysis of every
     * snapshot arrives.
     */
    @Test
    @Order(6)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anObjectStoreAwayForThirtySecondsDelaysTheRunButLosesNoSnapshotOrCheckpoint() throws Exception {
        long testStart = System.nanoTime();
        keepTrainers(1);
        // a probe every 8 steps: the one at step 24 is written while the store is away (it stops at about step 22)
        int probeEvery = 8;
        String id = submit(spec("fa", 1024, 1, probeEvery, 51));
        awaitStarted(id, 1);
        awaitAttemptBeyond(id, 1, 20);
        long before = events.latestStep(id);
        int port = URI.create(stack.s3().endpoint()).getPort();
        stack.s3().close();
        long stopped = System.nanoTime();
        say("object store stopped at step %d of %s", before, id);
        sleep(Duration.ofSeconds(30));
        long during = events.latestStep(id);
        LocalObjectStore s3 = LocalObjectStore.start(stack.s3Dir(), "127.0.0.1", port, PipelineStack.ACCESS_KEY,
                PipelineStack.SECRET_KEY);
        stack = new PipelineStack.Running(stack.kafka(), s3, stack.s3Dir(), stack.trainer(), stack.analysis(),
                stack.gateway(), stack.auth());
        bucket = null;
        say("object store back after %.1f s; the run went from step %d to %d meanwhile", seconds(stopped), before,
                during);

        RunEvent end = awaitEnd(id);
        say("object store outage: %.1f s%n%s", seconds(testStart), events.describe(id));
        assertThat(end.type()).as(events.describe(id)).isEqualTo(RunEventType.SUCCEEDED);
        long total = 1024 / BATCH;
        assertThat(end.step()).isEqualTo(total);
        assertEveryStepReported(id, total);

        long checks = System.nanoTime();
        List<SnapshotRecorded> snapshots = events.snapshots(id);
        assertThat(snapshots.stream().map(SnapshotRecorded::step).collect(Collectors.toSet()))
                .as("a SnapshotRecorded for every probe step").containsAll(probeSteps(total, probeEvery));
        List<String> missing = new ArrayList<>();
        for (SnapshotRecorded snapshot : snapshots) {
            for (SnapshotRecorded.Signal signal : snapshot.signals()) {
                if (!exists(signal.key())) {
                    missing.add(signal.key());
                }
            }
        }
        assertThat(missing).as("announced snapshot objects missing from the bucket").isEmpty();
        for (RunEvent checkpoint : events.events(id, RunEventType.CHECKPOINT_WRITTEN)) {
            if (checkpoint.checkpointKey().contains("/epoch-")) {
                assertThat(exists(checkpoint.checkpointKey())).as(checkpoint.checkpointKey()).isTrue();
            }
        }
        // the newest two step checkpoints are kept (falab.checkpoints.keep-last), older ones pruned
        List<String> stepCheckpoints = events.events(id, RunEventType.CHECKPOINT_WRITTEN).stream()
                .map(RunEvent::checkpointKey).filter(k -> k.contains("/step-")).toList();
        for (String key : stepCheckpoints.subList(Math.max(0, stepCheckpoints.size() - 2), stepCheckpoints.size())) {
            assertThat(exists(key)).as(key).isTrue();
        }
        String latest = new String(object(ObjectKeys.latestCheckpoint(id)), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(latest).contains(ObjectKeys.checkpoint(id, 1));
        assertThat(Checkpoints.read(object(ObjectKeys.checkpoint(id, 1))).manifest().step()).isEqualTo(total);

        say("bucket checks: %.1f s", seconds(checks));
        // the analysis service ranks the error signal of every layer of every snapshot
        Set<String> wanted = new TreeSet<>();
        for (SnapshotRecorded snapshot : snapshots) {
            for (SnapshotRecorded.Signal signal : snapshot.signals()) {
                if ("error-signal".equals(signal.quantity())) {
                    wanted.add(snapshot.step() + "/" + signal.layer());
                }
            }
        }
        assertThat(wanted).isNotEmpty();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> analysed(id)
                    .containsAll(wanted));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Set<String> notAnalysed = new TreeSet<>(wanted);
            notAnalysed.removeAll(analysed(id));
            fail("no analysis of the error signal at %s (of %s) within 90 s; analysis log: %s", notAnalysed, wanted,
                    stack.analysis().log());
        }
        for (SnapshotRecorded snapshot : snapshots) {
            say("snapshot of step %d at %s, analysed at %s", snapshot.step(), snapshot.time(),
                    events.analysis(id).stream().filter(a -> a.step() == snapshot.step()).map(a -> a.time())
                            .max(Instant::compareTo).orElse(null));
        }
        say("object store test: %.1f s", seconds(testStart));
    }

    /**
     * After all the faults above: every run the tests submitted ended exactly once, and none was taken again after
     * its end (no STARTED, PROGRESS or second terminal event follows it, a lock's duration and more later).
     */
    @Test
    @Order(7)
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void noRunIsTakenAgainAfterItEnded() {
        assertThat(submitted).isNotEmpty();
        Instant lastEnd = submitted.stream().map(events::terminal).filter(java.util.Objects::nonNull)
                .map(RunEvent::time).max(Instant::compareTo).orElse(Instant.now());
        // two lock durations and a poll: a record left unacknowledged has been delivered again by then
        Duration settle = Duration.ofSeconds(12).minus(Duration.between(lastEnd, Instant.now()));
        if (!settle.isNegative()) {
            sleep(settle);
        }
        List<String> problems = new ArrayList<>();
        for (String id : submitted) {
            List<RunEvent> all = events.events(id);
            int end = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).isTerminal()) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                problems.add(id + " never ended");
                continue;
            }
            List<String> after = all.subList(end + 1, all.size()).stream()
                    .filter(e -> e.type() != RunEventType.HEARTBEAT)
                    .map(e -> e.type() + " attempt=" + e.attempt() + " step=" + e.step() + " at " + e.time())
                    .toList();
            if (!after.isEmpty()) {
                problems.add(id + " (" + events.requestRecords(id) + " run request record(s)) ended ("
                        + all.get(end).type() + " attempt=" + all.get(end).attempt() + " at " + all.get(end).time()
                        + ") and then: " + after);
            }
        }
        assertThat(problems).as("runs with events after their end").isEmpty();
    }

    // ---- checks over a run's events

    /**
     * Each attempt after the first resumes at least from the newest checkpoint announced before it started (a killed
     * trainer may have completed a newer one without announcing it), and never from a step not yet trained.
     */
    private static void assertResumedFromTheNewestCheckpoint(String id) {
        long checkpointed = 0;
        long trained = 0;
        for (RunEvent e : events.events(id)) {
            switch (e.type()) {
                case CHECKPOINT_WRITTEN -> checkpointed = Math.max(checkpointed, e.step());
                case PROGRESS -> trained = Math.max(trained, e.step());
                case STARTED -> {
                    if (e.attempt() > 1) {
                        assertThat(e.resumedFromStep()).as("attempt %d resumes from (checkpointed %d, trained %d)%n%s",
                                e.attempt(), checkpointed, trained, events.describe(id))
                                .isBetween(checkpointed, trained);
                        if (checkpointed > 0) {
                            assertThat(e.resumedFromStep()).isPositive();
                        }
                    } else {
                        assertThat(e.resumedFromStep()).isZero();
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * Exactly one attempt trains at any time: once attempt n+1 said STARTED, no PROGRESS (nor checkpoint, nor end)
     * of an older attempt follows; within an attempt the steps go up one by one from where it resumed.
     */
    private static void assertNoAttemptTrainsAfterANewerOneStarted(String id) {
        assertAttemptsNumberedInOrder(id);
        assertEachAttemptTrainsAlone(id);
    }

    /** Every STARTED of the run has a higher attempt than the one before (the first is 1). */
    private static void assertAttemptsNumberedInOrder(String id) {
        List<Integer> attempts = events.events(id, RunEventType.STARTED).stream().map(RunEvent::attempt).toList();
        for (int i = 0; i < attempts.size(); i++) {
            assertThat(attempts.get(i)).as("attempt numbers of the run's STARTED events %s: each taking of the run a"
                    + " new, higher attempt%n%s", attempts, events.describe(id))
                    .isGreaterThan(i == 0 ? 0 : attempts.get(i - 1));
        }
    }

    /**
     * From each STARTED on, until the next, every event of the run is of that attempt (by number), and its PROGRESS
     * steps go up one by one from the step it resumed at.
     */
    private static void assertEachAttemptTrainsAlone(String id) {
        Integer current = null;
        long lastStep = 0;
        for (RunEvent e : events.events(id)) {
            if (e.type() == RunEventType.HEARTBEAT || e.attempt() == null) {
                continue;
            }
            if (e.type() == RunEventType.STARTED) {
                current = e.attempt();
                lastStep = e.resumedFromStep();
                continue;
            }
            assertThat(e.attempt()).as("%s of attempt %d at step %s after attempt %s started%n%s", e.type(),
                    e.attempt(), e.step(), current, events.describe(id)).isEqualTo(current);
            if (e.type() == RunEventType.PROGRESS) {
                assertThat(e.step()).as("attempt %d's steps go up one by one%n%s", e.attempt(), events.describe(id))
                        .isEqualTo(lastStep + 1);
                lastStep = e.step();
            }
        }
    }

    /** Every step from 1 to the last has a PROGRESS event (of some attempt), each attempt's steps one by one. */
    private static void assertEveryStepReported(String id, long total) {
        assertEachAttemptTrainsAlone(id);
        Set<Long> steps = new HashSet<>();
        for (RunEvent e : progress(id, 0)) {
            steps.add(e.step());
        }
        List<Long> missing = new ArrayList<>();
        for (long step = 1; step <= total; step++) {
            if (!steps.contains(step)) {
                missing.add(step);
            }
        }
        assertThat(missing).as("steps without PROGRESS%n%s", events.describe(id)).isEmpty();
    }

    /** The PROGRESS events of an attempt (0: of every attempt), in order. */
    private static List<RunEvent> progress(String id, int attempt) {
        return events.events(id, RunEventType.PROGRESS).stream()
                .filter(e -> attempt == 0 || e.attempt() != null && e.attempt() == attempt).toList();
    }

    private static Set<String> analysed(String id) {
        return events.analysis(id).stream().filter(a -> "error-signal".equals(a.quantity()))
                .map(a -> a.step() + "/" + a.layer()).collect(Collectors.toSet());
    }

    /** Multiples of probeEvery, and the last step. */
    private static Set<Long> probeSteps(long total, int probeEvery) {
        Set<Long> steps = new TreeSet<>();
        for (long step = probeEvery; step <= total; step += probeEvery) {
            steps.add(step);
        }
        steps.add(total);
        return steps;
    }

    // ---- kill steps

    /**
     * {@code count} distinct steps in [3, 90% of total], sorted, at least {@code total / (4 * count)} apart: spread
     * over the run so that most kills come after a checkpoint, some possibly before the first.
     */
    static List<Long> killSteps(Random random, long total, int count) {
        long low = 3;
        long high = total * 9 / 10;
        long gap = Math.max(6, total / (4L * count));
        while (true) {
            TreeSet<Long> steps = new TreeSet<>();
            while (steps.size() < count) {
                steps.add(low + (long) (random.nextDouble() * (high - low)));
            }
            List<Long> sorted = new ArrayList<>(steps);
            boolean spread = true;
            for (int i = 1; i < sorted.size(); i++) {
                spread &= sorted.get(i) - sorted.get(i - 1) >= gap;
            }
            if (spread) {
                return sorted;
            }
        }
    }

    // ---- trainers

    /** Leaves exactly {@code count} trainers running: stops the oldest (idle) ones, or starts new ones. */
    private static void keepTrainers(int count) {
        List<ServiceProcess> alive = trainers.stream().filter(ServiceProcess::isAlive)
                .collect(Collectors.toCollection(ArrayList::new));
        while (alive.size() > count) {
            alive.remove(0).close();
        }
        while (alive.size() < count) {
            alive.add(newTrainer());
        }
    }

    private static ServiceProcess newTrainer() {
        return newTrainer(TRAINER);
    }

    private static ServiceProcess newTrainer(Map<String, String> settings) {
        String name;
        synchronized (trainers) {
            name = "fault-trainer-" + (++trainersStarted);
        }
        long start = System.nanoTime();
        ServiceProcess trainer = stack.anotherTrainer(name, settings);
        synchronized (trainers) {
            trainers.add(trainer);
        }
        say("%s ready in %.1f s", name, seconds(start));
        return trainer;
    }

    /** The live trainer whose log says it took the given attempt at the run. */
    private static ServiceProcess trainerOf(String id, int attempt) {
        String line = "run " + id + ": attempt " + attempt + ",";
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            synchronized (trainers) {
                for (ServiceProcess trainer : trainers) {
                    if (trainer.logText().contains(line)) {
                        return trainer;
                    }
                }
                return null;
            }
        }, java.util.Objects::nonNull);
    }

    // ---- runs

    private static Map<String, Object> spec(String method, int trainSubset, int epochs, int probeEvery, long seed) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("dataset", "synthetic");
        spec.put("method", method);
        spec.put("hidden", List.of(64, 64));
        spec.put("epochs", epochs);
        spec.put("batchSize", BATCH);
        spec.put("learningRate", 0.05);
        spec.put("trainSubset", trainSubset);
        spec.put("testSubset", 256);
        spec.put("probeEvery", probeEvery);
        spec.put("probeSize", 16);
        spec.put("seed", seed);
        return spec;
    }

    private static String submit(Map<String, Object> spec) {
        String id = given().auth().oauth2(stack.token()).baseUri(stack.gateway().url())
                .contentType(ContentType.JSON).body(spec).post("/api/v1/runs").then().statusCode(202).extract().path("id");
        submitted.add(id);
        return id;
    }

    private static JsonPath run(String id) {
        return given().auth().oauth2(stack.token()).baseUri(stack.gateway().url()).get("/api/v1/runs/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    private static RunEvent awaitEnd(String id) {
        try {
            return await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> events.terminal(id),
                    java.util.Objects::nonNull);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("run " + id + " did not end within " + RUN_TIMEOUT + "; its events:\n"
                    + events.describe(id), e);
        }
    }

    /** Waits for the STARTED of the given attempt (or a newer one); fails if the run ends first. */
    private static RunEvent awaitStarted(String id, int attempt) {
        try {
            return await().atMost(TAKEOVER_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (events.terminal(id) != null) {
                    throw new AssertionError("run " + id + " ended before attempt " + attempt + " started:\n"
                            + events.describe(id));
                }
                return events.events(id, RunEventType.STARTED).stream().filter(s -> s.attempt() >= attempt)
                        .findFirst().orElse(null);
            }, java.util.Objects::nonNull);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("attempt " + attempt + " at run " + id + " did not start within "
                    + TAKEOVER_TIMEOUT + "; its events:\n" + events.describe(id), e);
        }
    }

    /** Waits until the attempt reported a step beyond {@code step}; fails if the run ends first. */
    private static void awaitAttemptBeyond(String id, int attempt, long step) {
        awaitTrue("attempt " + attempt + " at " + id + " passes step " + step, RUN_TIMEOUT, () -> {
            if (events.terminal(id) != null) {
                throw new AssertionError("run " + id + " ended before attempt " + attempt + " passed step " + step
                        + ":\n" + events.describe(id));
            }
            long resumed = events.events(id, RunEventType.STARTED).stream().filter(s -> s.attempt() == attempt)
                    .mapToLong(RunEvent::resumedFromStep).max().orElse(0);
            return Math.max(resumed, events.latestStep(id, attempt)) > step;
        });
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": not within " + timeout, e);
        }
    }

    private static List<Integer> range(int from, int toInclusive) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= toInclusive; i++) {
            out.add(i);
        }
        return out;
    }

    // ---- the bucket

    private static MinioClient bucket() {
        if (bucket == null) {
            bucket = stack.s3Client();
        }
        return bucket;
    }

    private static byte[] object(String key) throws Exception {
        try (InputStream in = bucket().getObject(GetObjectArgs.builder().bucket(PipelineStack.BUCKET)
                .object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static boolean exists(String key) throws Exception {
        try {
            bucket().statObject(StatObjectArgs.builder().bucket(PipelineStack.BUCKET).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        }
    }

    // ---- output

    private static void say(String format, Object... args) {
        System.out.printf("[fault] " + format + "%n", args);
        System.out.flush();
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
