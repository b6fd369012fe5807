package org.falab.trainer.listener;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.falab.trainer.events.Channels;
import org.falab.trainer.service.TrainingService;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Takes run requests off {@code falab.run-requests}, one at a time. The record is acknowledged (its offset
 * committed) only when the run has ended, so a trainer that dies mid-run leaves the request to the next member
 * of the consumer group, and consumer lag counts queued runs. A record that is not a valid request throws, and
 * the dead-letter-queue failure strategy moves it to {@code falab.run-requests.dlq}; the next record goes on.
 */
@ApplicationScoped
public class RunRequestListener {

    private final RunRequestParser parser;
    private final TrainingService training;

    public RunRequestListener(RunRequestParser parser, TrainingService training) {
        this.parser = parser;
        this.training = training;
    }

    @Incoming(Channels.RUN_REQUESTS)
    @Blocking(ordered = true)
    public void onRunRequested(String payload) {
        training.train(parser.parse(payload));
    }
}
