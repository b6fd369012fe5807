package org.falab.trainer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.falab.trainer.queue.RunQueue;
import org.jboss.logmanager.ExtLogRecord;

/**
 * What the trainer's run queue logged while a test ran (the application runs in the test's JVM): the delivery count
 * of each run request it took, as the broker reported it, and the records it acquired while busy and let go.
 */
final class QueueLog implements AutoCloseable {

    private static final Pattern TAKEN = Pattern.compile("run (\\S+): taken from the queue \\(delivery (\\d+)\\)");
    private static final Pattern LET_GO = Pattern.compile("run (\\S+): delivered while .*");

    private final Logger logger = Logger.getLogger(RunQueue.class.getName());
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            messages.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private QueueLog() {
        logger.addHandler(handler);
    }

    static QueueLog capture() {
        return new QueueLog();
    }

    /** The delivery counts of the run's request each time the trainer took it, in order. */
    List<Integer> takenDeliveries(String runId) {
        return messages.stream().map(TAKEN::matcher).filter(Matcher::matches).filter(m -> m.group(1).equals(runId))
                .map(m -> Integer.parseInt(m.group(2))).toList();
    }

    /** The messages about records the trainer acquired while busy and gave back to the queue. */
    List<String> deliveriesLetGo() {
        return messages.stream().filter(m -> LET_GO.matcher(m).matches()).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
