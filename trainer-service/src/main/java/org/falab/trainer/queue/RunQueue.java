package org.falab.trainer.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.falab.contracts.events.Topics;
import org.falab.trainer.config.TrainerConfig;
import org.falab.trainer.service.TrainingService;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Takes run requests from {@code falab.run-requests} through a Kafka share group (KIP-932): every trainer is a
 * member, the broker hands each record to one idle member with a time-limited lock, and this trainer takes one run at
 * a time. While the run trains (on its own thread) this thread renews the lock ({@code RENEW}) every third of its
 * duration and sends heartbeats; when the run ends it acknowledges the record by the attempt's {@link Outcome}. A
 * trainer that dies stops renewing, its lock lapses and another trainer (or this one restarted) takes the run again,
 * one delivery count higher, and resumes it from its last checkpoint. A renewal the broker refuses, or a record not
 * seen again within the lock's duration, means the claim is lost: the training stops after its step and publishes
 * nothing more.
 */
@ApplicationScoped
public class RunQueue {

    private static final Logger LOG = Logger.getLogger(RunQueue.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final TrainingService training;
    private final PodDeletionCost deletionCost;
    private final TrainerConfig config;
    /** bootstrap.servers and every other kafka.* setting (TLS, SASL: the deployment's), as the channels get them. */
    private final Map<String, Object> kafka;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "falab-training");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean shuttingDown;
    private volatile KafkaShareConsumer<String, String> consumer;
    private volatile InFlight current;

    public RunQueue(TrainingService training, PodDeletionCost deletionCost, TrainerConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.training = training;
        this.deletionCost = deletionCost;
        this.config = config;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent start) {
        Thread loop = new Thread(this::run, "falab-run-queue");
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * SIGTERM: the run in training writes a checkpoint after its step and is given back to the queue (another trainer
     * resumes it) within {@code falab.queue.give-back-timeout}; the pod's termination grace period must be longer.
     */
    void onStop(@Observes ShutdownEvent stop) {
        shuttingDown = true;
        InFlight run = current;
        if (run != null) {
            LOG.infof("run %s: shutting down, giving the run back after a checkpoint", run.attempt.runId());
            run.attempt.giveBack("trainer shutting down");
        }
        KafkaShareConsumer<String, String> c = consumer;
        if (run == null && c != null) {
            c.wakeup();
        }
        try {
            if (!stopped.await(config.queue().giveBackTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the run was not given back in time; its lock lapses and another trainer resumes it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
    }

    private void run() {
        try {
            while (!shuttingDown) {
                try {
                    ShareGroupSetup.apply(kafka, config.queue());
                    consume();
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    if (shuttingDown) {
                        return;
                    }
                    LOG.warnf("run queue: %s; reconnecting", e.toString());
                    sleep(2000);
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private void consume() {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.queue().group());
        settings.put("share.acknowledgement.mode", "explicit");
        // one record per poll and no prefetch: a record this trainer cannot take now stays with the group
        settings.put("share.acquire.mode", "record_limit");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        try (KafkaShareConsumer<String, String> c =
                new KafkaShareConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            consumer = c;
            c.setAcknowledgementCommitCallback((offsets, error) -> {
                InFlight run = current;
                if (error != null && run != null && run.record.offset() >= 0
                        && offsets.values().stream().anyMatch(set -> set.contains(run.record.offset()))) {
                    run.attempt.lose("the broker refused to renew the lock: " + error.getMessage());
                }
            });
            c.subscribe(List.of(Topics.RUN_REQUESTS));
            while (true) {
                if (shuttingDown && current == null) {
                    return;
                }
                for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                    accept(c, record);
                }
                InFlight run = current;
                if (run != null) {
                    run.awaitFor(renewEvery(), this::heartbeatIfDue);
                    if (run.notSeenFor() > config.queue().lockDuration().toMillis()) {
                        // the lock has lapsed: the record is the group's again, whatever the attempt's outcome
                        run.attempt.lose("the run request was not returned within the lock's duration");
                        if (run.finished()) {
                            idle();
                        }
                    } else if (run.finished() && run.outcomeIfDone() == Outcome.LOST) {
                        idle();
                    }
                }
            }
        } finally {
            consumer = null;
        }
    }

    /** A record from a poll: the run in training (renew it, or acknowledge it if done), or a new one to take. */
    private void accept(KafkaShareConsumer<String, String> c, ConsumerRecord<String, String> record) {
        InFlight run = current;
        if (run != null && run.is(record)) {
            run.seen();
            if (run.finished()) {
                Outcome outcome = run.outcomeIfDone();
                if (outcome.acknowledgement() != null) {
                    c.acknowledge(record, outcome.acknowledgement());
                    c.commitSync(Duration.ofSeconds(30));
                }
                idle();
            } else {
                c.acknowledge(record, AcknowledgeType.RENEW);
            }
            return;
        }
        if (run != null || shuttingDown) {
            // one run at a time: another member (or this one, later) takes it
            c.acknowledge(record, AcknowledgeType.RELEASE);
            return;
        }
        // numbered by the training service from the run's recorded attempts, before it publishes anything
        Attempt attempt = training.attempt(record.key(), 1);
        InFlight started = new InFlight(record, attempt,
                worker.submit(() -> training.take(record.key(), record.value(), attempt,
                        new TrainingService.Origin(record.topic(), record.partition(), record.offset()))));
        current = started;
        // on a ReplicaSet scale-down, Kubernetes prefers to remove idle trainers
        deletionCost.busy();
        // renewed at once: the lock then runs from now, not from the fetch
        c.acknowledge(record, AcknowledgeType.RENEW);
    }

    /** No run in training any more. */
    private void idle() {
        current = null;
        deletionCost.idle();
    }

    private void heartbeatIfDue(InFlight run) {
        long now = System.nanoTime();
        // from STARTED on (totalSteps known), so the first event of an attempt is always its STARTED
        if (now - run.lastHeartbeat >= config.queue().heartbeatEvery().toNanos() && run.attempt.owned()
                && run.attempt.totalSteps() != null) {
            run.lastHeartbeat = now;
            training.heartbeat(run.attempt);
        }
    }

    private long renewEvery() {
        return Math.max(200, config.queue().lockDuration().toMillis() / 3);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run request this trainer holds and the attempt training it. */
    private static final class InFlight {
        final ConsumerRecord<String, String> record;
        final Attempt attempt;
        final Future<Outcome> outcome;
        long lastSeenNanos = System.nanoTime();
        long lastHeartbeat = System.nanoTime();

        InFlight(ConsumerRecord<String, String> record, Attempt attempt, Future<Outcome> outcome) {
            this.record = record;
            this.attempt = attempt;
            this.outcome = outcome;
        }

        /** The same delivery of the same record (a renewed record comes back with the same delivery count). */
        boolean is(ConsumerRecord<String, String> other) {
            return other.partition() == record.partition() && other.offset() == record.offset()
                    && other.topic().equals(record.topic()) && other.deliveryCount().equals(record.deliveryCount());
        }

        void seen() {
            lastSeenNanos = System.nanoTime();
        }

        long notSeenFor() {
            return (System.nanoTime() - lastSeenNanos) / 1_000_000;
        }

        boolean finished() {
            return outcome.isDone();
        }

        Outcome outcomeIfDone() {
            try {
                return outcome.get();
            } catch (ExecutionException e) {
                // the training service turns every failure into an outcome; this is a bug, so retry the run
                LOG.errorf(e.getCause(), "run %s: the attempt ended with an exception", attempt.runId());
                return Outcome.RETRY;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.RETRY;
            }
        }

        /** Waits up to {@code millis} for the run to end, sending heartbeats as they fall due. */
        void awaitFor(long millis, java.util.function.Consumer<InFlight> heartbeat) {
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (!outcome.isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                heartbeat.accept(this);
                try {
                    outcome.get(Math.min(left, 1_000_000_000L), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // done or not yet: the loop decides
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
