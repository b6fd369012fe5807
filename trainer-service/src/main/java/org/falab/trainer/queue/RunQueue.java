package org.falab.trainer.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
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
 * a time. While the run trains (on its own thread) this thread renews the lock ({@code RENEW}, KIP-1222) every third
 * of its duration and sends heartbeats; when the run ends it acknowledges the record by the attempt's {@link Outcome}.
 * A trainer that dies stops renewing, its lock lapses and another trainer (or this one restarted) takes the run again
 * and resumes it from its last checkpoint. A renewal the broker refuses, or one not confirmed before the lock would
 * lapse, means the claim is lost: the training stops after its step and publishes nothing more.
 *
 * <p>A busy trainer never fetches: only an idle trainer's poll acquires a record. Every fetch of a share consumer
 * acquires whatever record is available (a ShareFetch carrying a renewal acquires nothing, but the consumer's next
 * fetch does), and every acquisition counts as a delivery of that record, which the broker archives after
 * {@code group.share.delivery.count.limit} of them: a run queued behind busy trainers that kept polling would be
 * dropped. So while it trains, the trainer sends the renewal with {@code commitSync} (a ShareAcknowledge request,
 * which acquires nothing) and then polls only to have the renewed record handed back, which the consumer does from
 * what it holds, without a fetch; that poll also keeps the member within {@code max.poll.interval.ms}.
 */
@ApplicationScoped
public class RunQueue {

    private static final Logger LOG = Logger.getLogger(RunQueue.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration ACKNOWLEDGE_TIMEOUT = Duration.ofSeconds(30);

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

    /**
     * One consumer's life: idle, it polls for a run request; busy, it renews the run's lock until the run ends. It
     * ends when the trainer shuts down, or after an attempt that lost its claim (a fresh consumer then starts
     * without whatever the old one still held of the lost record).
     */
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
            c.subscribe(List.of(Topics.RUN_REQUESTS));
            while (true) {
                InFlight run = current;
                if (run == null) {
                    if (shuttingDown) {
                        return;
                    }
                    if (!take(c, c.poll(POLL))) {
                        // the record was not renewed: start afresh, without what the consumer still holds of it
                        return;
                    }
                    continue;
                }
                run.awaitFor(run.held ? Math.min(renewEvery(), run.lockLeft()) : renewEvery(), this::heartbeatIfDue);
                if (run.finished()) {
                    finish(c, run);
                    if (!run.held) {
                        return;
                    }
                } else if (run.held) {
                    renew(c, run);
                }
            }
        } finally {
            consumer = null;
        }
    }

    /**
     * Records from an idle trainer's poll (one at most): the first is this trainer's next run, any other goes back
     * at once. False when the record could not be renewed (its lock lapsed before it was handed over).
     */
    private boolean take(KafkaShareConsumer<String, String> c, ConsumerRecords<String, String> polled) {
        ConsumerRecord<String, String> next = null;
        for (ConsumerRecord<String, String> record : polled) {
            if (next == null && !shuttingDown) {
                next = record;
            } else {
                LOG.infof("run %s: delivered while the trainer cannot take it, given back (delivery %d)",
                        record.key(), deliveries(record));
                c.acknowledge(record, AcknowledgeType.RELEASE);
            }
        }
        if (next == null) {
            return true;
        }
        ConsumerRecord<String, String> record = next;
        LOG.infof("run %s: taken from the queue (delivery %d)", record.key(), deliveries(record));
        // numbered by the training service from the run's recorded attempts, before it publishes anything
        Attempt attempt = training.attempt(record.key(), 1);
        InFlight taken = new InFlight(record, attempt);
        // renewed at once, before training: the lock then runs from now, not from the fetch, and a record whose lock
        // lapsed before it was handed over (one the consumer held from an earlier fetch) is not trained
        if (!renewed(c, taken)) {
            LOG.warnf("run %s: not taken: %s", record.key(), attempt.lostReason());
            return false;
        }
        taken.outcome = worker.submit(() -> training.take(record.key(), record.value(), attempt,
                new TrainingService.Origin(record.topic(), record.partition(), record.offset())));
        current = taken;
        // on a ReplicaSet scale-down, Kubernetes prefers to remove idle trainers
        deletionCost.busy();
        return true;
    }

    /** The run in training still holds its lock: renew it, or stop the attempt if the broker does not. */
    private void renew(KafkaShareConsumer<String, String> c, InFlight run) {
        if (!renewed(c, run)) {
            LOG.warnf("run %s: lost the claim on the run: %s", run.attempt.runId(), run.attempt.lostReason());
        }
    }

    /**
     * Renews the lock with a ShareAcknowledge request, which acquires nothing, then takes the renewed record back with
     * a poll that is answered from what the consumer holds (without a fetch), so that it can be acknowledged again.
     * False (and the attempt lost) when the broker refused the renewal or did not confirm it within what is left of
     * the lock, or the record did not come back.
     */
    private boolean renewed(KafkaShareConsumer<String, String> c, InFlight run) {
        String refused;
        try {
            long left = run.lockLeft();
            if (left <= 0) {
                refused = "the lock's duration passed without a renewal";
            } else {
                long sent = System.nanoTime();
                c.acknowledge(run.record, AcknowledgeType.RENEW);
                refused = refusal(c.commitSync(Duration.ofMillis(left)), run.record);
                if (refused == null) {
                    run.renewedAt(sent);
                    refused = takeBack(c, run);
                }
            }
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            refused = "the renewal failed: " + e;
        }
        if (refused != null) {
            run.held = false;
            run.attempt.lose(refused);
            return false;
        }
        return true;
    }

    /** Why the broker did not renew the record's lock, or null if it did. */
    private static String refusal(Map<TopicIdPartition, Optional<KafkaException>> results,
            ConsumerRecord<String, String> record) {
        for (Map.Entry<TopicIdPartition, Optional<KafkaException>> result : results.entrySet()) {
            if (result.getKey().topic().equals(record.topic()) && result.getKey().partition() == record.partition()) {
                return result.getValue().map(e -> "the broker refused to renew the lock: " + e.getMessage())
                        .orElse(null);
            }
        }
        return "the broker did not answer the renewal in time";
    }

    /** After a renewal: the poll that hands the renewed record back; null when it came back. */
    private String takeBack(KafkaShareConsumer<String, String> c, InFlight run) {
        String missing = "the renewed run request was not handed back";
        for (ConsumerRecord<String, String> record : c.poll(Duration.ZERO)) {
            if (run.is(record)) {
                run.record = record;
                missing = null;
            } else {
                // not expected (the consumer fetches nothing while a record is renewed); never keep it
                LOG.infof("run %s: delivered while the trainer cannot take it, given back (delivery %d)",
                        record.key(), deliveries(record));
                c.acknowledge(record, AcknowledgeType.RELEASE);
            }
        }
        return missing;
    }

    /**
     * The run ended: acknowledge the record by its outcome and become idle. An attempt that lost its claim leaves
     * nothing to acknowledge ({@code held} is then false, and the consumer is replaced).
     */
    private void finish(KafkaShareConsumer<String, String> c, InFlight run) {
        Outcome outcome = run.outcomeIfDone();
        if (outcome == Outcome.LOST) {
            run.held = false;
        }
        if (run.held && outcome.acknowledgement() != null) {
            try {
                c.acknowledge(run.record, outcome.acknowledgement());
                String refused = refusal(c.commitSync(ACKNOWLEDGE_TIMEOUT), run.record);
                if (refused != null) {
                    // the record is delivered again; its run has ended (ended.json), so that delivery is a no-op
                    LOG.warnf("run %s: the %s acknowledgement was not committed: %s", run.attempt.runId(),
                            outcome.acknowledgement(), refused);
                }
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warnf("run %s: the %s acknowledgement failed: %s", run.attempt.runId(),
                        outcome.acknowledgement(), e.toString());
            }
        }
        current = null;
        deletionCost.idle();
    }

    private static short deliveries(ConsumerRecord<String, String> record) {
        return record.deliveryCount().orElse((short) 0);
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
    private final class InFlight {
        /** The latest hand-over of the record by the consumer: the one to acknowledge. */
        ConsumerRecord<String, String> record;
        final Attempt attempt;
        Future<Outcome> outcome;
        /** Whether this trainer still holds the record's lock (false once a renewal failed). */
        boolean held = true;
        long lockFrom = System.nanoTime();
        long lastHeartbeat = System.nanoTime();

        InFlight(ConsumerRecord<String, String> record, Attempt attempt) {
            this.record = record;
            this.attempt = attempt;
        }

        /** The same record (a renewed record comes back as the same delivery). */
        boolean is(ConsumerRecord<String, String> other) {
            return other.partition() == record.partition() && other.offset() == record.offset()
                    && other.topic().equals(record.topic());
        }

        /** The broker confirmed the renewal sent at {@code sentNanos}: the lock runs from a little after then. */
        void renewedAt(long sentNanos) {
            lockFrom = sentNanos;
            attempt.lockedUntil(sentNanos + config.queue().lockDuration().toNanos());
        }

        /** Milliseconds until the lock lapses unless renewed, counted from the last confirmed renewal. */
        long lockLeft() {
            return config.queue().lockDuration().toMillis() - (System.nanoTime() - lockFrom) / 1_000_000;
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
