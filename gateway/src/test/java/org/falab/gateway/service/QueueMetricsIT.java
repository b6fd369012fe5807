package org.falab.gateway.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.KafkaTestClients;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The queue metrics KEDA and the alerts use, scraped from /q/metrics (open, no token) on the real broker, with no
 * trainer anywhere: a run request written to Kafka (as another gateway would) is counted as QUEUED and its wait is
 * the oldest; once a trainer reports STARTED it no longer waits. No /api call: the records go to Kafka directly.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class QueueMetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Older than any run another test submits, so this run is the oldest queued one while it waits. */
    private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");
    private static final RunSpec SPEC = new RunSpec(Dataset.FASHION_MNIST, Model.MLP, List.of(32), LearningRule.FA,
            OptimizerKind.SGD, 1, 64, 0.05, 0.9, 0.0, 7, null, null, 10, 32);

    @Test
    void queuedRunsAndTheOldestOnesWaitAreExportedWithoutAnyTrainer() {
        String id = "run-waiting-" + System.nanoTime();
        KafkaTestClients.produce(Topics.RUN_REQUESTS, id, ContractJson.write(new RunRequested(id, SPEC, LONG_AGO)));

        await().atMost(WAIT).untilAsserted(() -> {
            String scrape = scrape();
            assertThat(value(scrape, "falab_runs\\{[^}]*state=\"QUEUED\"[^}]*\\}")).isGreaterThanOrEqualTo(1);
            double expected = Duration.between(LONG_AGO, Instant.now()).toSeconds();
            assertThat(value(scrape, "falab_oldest_queued_run_age_seconds(?:\\{[^}]*\\})?"))
                    .isBetween(expected - 120, expected + 120);
        });

        KafkaTestClients.produce(Topics.RUN_EVENTS, id, ContractJson.write(new RunEvent(id, RunEventType.STARTED,
                Instant.now(), 0, 0L, 10L, null, null, null, null, "PyTorch on cpu()", "cpu", null, null, null)));

        // taken by a trainer: whatever still waits was submitted long after 2000
        await().atMost(WAIT).untilAsserted(() -> assertThat(value(scrape(), "falab_oldest_queued_run_age_seconds(?:\\{[^}]*\\})?"))
                .isLessThan(Duration.between(LONG_AGO, Instant.now()).toSeconds() - 86_400));
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the one sample whose name and labels match {@code series}. */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+|NaN)$").matcher(scrape);
        assertThat(m.find()).as("%s in%n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
