package org.falab.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;

/**
 * Everything the trainers and the analysis service publish, read from the start of the topics by a test's own
 * consumer on a background thread, in topic order (one partition per topic on the test broker, so in the order the
 * broker stored them). A broker that goes away and comes back on the same port is read on from where it was.
 */
final class EventLog implements AutoCloseable {

    private final List<RunEvent> runEvents = new CopyOnWriteArrayList<>();
    private final List<SnapshotRecorded> snapshots = new CopyOnWriteArrayList<>();
    private final List<AnalysisResult> analysis = new CopyOnWriteArrayList<>();
    private final List<String> unreadable = new CopyOnWriteArrayList<>();
    /** The keys (run ids) of the run requests, one entry per record. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** The offset read last per topic: a record read twice (a consumer's retry) is skipped. */
    private final Map<String, Long> lastOffsets = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, String> consumer;
    private final Thread reader;
    private volatile boolean running = true;

    EventLog(String bootstrapServers) {
        // no group: assigned partitions keep their position in this consumer, so a broker that restarts (a group
        // rebalance without committed offsets would go back to the earliest) is read on from where it was
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000),
                new StringDeserializer(), new StringDeserializer());
        // one partition per topic on the test broker (num.partitions=1)
        consumer.assign(List.of(new TopicPartition(Topics.RUN_EVENTS, 0), new TopicPartition(Topics.SNAPSHOTS, 0),
                new TopicPartition(Topics.ANALYSIS_RESULTS, 0), new TopicPartition(Topics.RUN_REQUESTS, 0)));
        reader = new Thread(this::read, "fault-it-events");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        while (running) {
            try {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    accept(record);
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // the broker is away: poll again
                if (!running) {
                    return;
                }
            }
        }
    }

    private void accept(ConsumerRecord<String, String> record) {
        Long last = lastOffsets.get(record.topic());
        if (last != null && record.offset() <= last) {
            return;
        }
        lastOffsets.put(record.topic(), record.offset());
        try {
            switch (record.topic()) {
                case Topics.RUN_EVENTS -> runEvents.add(ContractJson.read(record.value(), RunEvent.class));
                case Topics.SNAPSHOTS -> snapshots.add(ContractJson.read(record.value(), SnapshotRecorded.class));
                case Topics.ANALYSIS_RESULTS -> analysis.add(ContractJson.read(record.value(), AnalysisResult.class));
                case Topics.RUN_REQUESTS -> requests.add(String.valueOf(record.key()));
                default -> { }
            }
        } catch (RuntimeException e) {
            unreadable.add(record.topic() + "@" + record.offset() + ": " + e.getMessage());
        }
    }

    /** The run's events so far, in topic order. */
    List<RunEvent> events(String runId) {
        List<RunEvent> out = new ArrayList<>();
        for (RunEvent e : runEvents) {
            if (e.runId().equals(runId)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The run's events of one type so far, in topic order. */
    List<RunEvent> events(String runId, RunEventType type) {
        return events(runId).stream().filter(e -> e.type() == type).toList();
    }

    /** The run's terminal event, or null while it has none. */
    RunEvent terminal(String runId) {
        return events(runId).stream().filter(RunEvent::isTerminal).findFirst().orElse(null);
    }

    /** The highest step a PROGRESS, STARTED or CHECKPOINT_WRITTEN event of the run reported so far (0: none). */
    long latestStep(String runId) {
        return events(runId).stream()
                .filter(e -> e.type() == RunEventType.PROGRESS || e.type() == RunEventType.STARTED
                        || e.type() == RunEventType.CHECKPOINT_WRITTEN)
                .filter(e -> e.step() != null).mapToLong(RunEvent::step).max().orElse(0);
    }

    /** The highest step a PROGRESS event of the given attempt of the run reported so far (0: none). */
    long latestStep(String runId, int attempt) {
        return events(runId).stream()
                .filter(e -> e.type() == RunEventType.PROGRESS && e.attempt() != null && e.attempt() == attempt)
                .mapToLong(RunEvent::step).max().orElse(0);
    }

    /** The newest attempt that said STARTED (0: none). */
    int latestAttempt(String runId) {
        return events(runId, RunEventType.STARTED).stream().mapToInt(RunEvent::attempt).max().orElse(0);
    }

    List<SnapshotRecorded> snapshots(String runId) {
        return snapshots.stream().filter(s -> s.runId().equals(runId)).toList();
    }

    List<AnalysisResult> analysis(String runId) {
        return analysis.stream().filter(a -> a.runId().equals(runId)).toList();
    }

    /** How many records of falab.run-requests carry the run's id as key (one per submission). */
    long requestRecords(String runId) {
        return requests.stream().filter(runId::equals).count();
    }

    /** Records that did not read as their topic's contract (none expected). */
    List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /**
     * One line per event of the run but heartbeats, for failure messages and the test's log; consecutive PROGRESS
     * events of one attempt are one line with their first and last step.
     */
    String describe(String runId) {
        StringBuilder out = new StringBuilder();
        RunEvent first = null;
        RunEvent last = null;
        for (RunEvent e : events(runId)) {
            if (e.type() == RunEventType.HEARTBEAT) {
                continue;
            }
            if (e.type() == RunEventType.PROGRESS && last != null && java.util.Objects.equals(last.attempt(),
                    e.attempt()) && e.step() == last.step() + 1) {
                last = e;
                continue;
            }
            if (first != null) {
                progressLine(out, first, last);
                first = null;
                last = null;
            }
            if (e.type() == RunEventType.PROGRESS) {
                first = e;
                last = e;
                continue;
            }
            out.append(e.time()).append(' ').append(e.type()).append(" attempt=").append(e.attempt())
                    .append(" step=").append(e.step());
            if (e.resumedFromStep() != null) {
                out.append(" resumedFrom=").append(e.resumedFromStep());
            }
            if (e.checkpointKey() != null) {
                out.append(" key=").append(e.checkpointKey());
            }
            if (e.reason() != null) {
                out.append(" reason=").append(e.reason());
            }
            out.append('\n');
        }
        if (first != null) {
            progressLine(out, first, last);
        }
        return out.toString();
    }

    private static void progressLine(StringBuilder out, RunEvent first, RunEvent last) {
        out.append(first.time()).append(" PROGRESS attempt=").append(first.attempt()).append(" steps ")
                .append(first.step()).append("..").append(last.step()).append(" (to ").append(last.time())
                .append(")\n");
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
