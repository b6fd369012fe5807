package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class RunWatcherTest {

    private final FakeTicker ticker = new FakeTicker();
    private final StringWriter text = new StringWriter();

    private RunWatcher watcher(FakeGateway gateway) {
        return new RunWatcher(gateway, ticker, ProgressDisplay.lines(new PrintWriter(text, true)), Duration.ofSeconds(2),
                Duration.ofMillis(500), Duration.ofSeconds(12));
    }

    @Test
    void returnsAsSoonAsEveryRankedQuantityOfTheLastStepIsAnalysedWithoutWaitingForWeightOrFeedback() throws Exception {
        ObjectNode running = Fixtures.json(Fixtures.FA).put("state", "RUNNING");
        FakeGateway gateway = new FakeGateway().view("run-0000000000fa", running, running, Fixtures.json(Fixtures.FA));

        Map<String, JsonNode> done = watcher(gateway).await(Map.of("run-0000000000fa", "fa"));

        assertThat(done.get("run-0000000000fa").path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(ticker.sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
        // the two RUNNING polls show the same bar once; then the SUCCEEDED bar, full
        assertThat(text.toString()).containsOnlyOnce("run-0000000000fa   fa   RUNNING    [####################] 100% "
                        + "epoch 3 step 1407/1407 loss 0.5123 test acc 0.8123")
                .contains("run-0000000000fa   fa   SUCCEEDED  [####################] 100%")
                .doesNotContain("waiting");
    }

    @Test
    void analysisThatNeverComesIsWaitedForAtMostTheTimeout() throws Exception {
        ObjectNode incomplete = Fixtures.json(Fixtures.FA);
        ArrayNode analysis = (ArrayNode) incomplete.get("analysis");
        analysis.remove(analysis.size() - 1);
        FakeGateway gateway = new FakeGateway().view("run-0000000000fa", incomplete);

        watcher(gateway).await(Map.of("run-0000000000fa", "fa"));

        // seen SUCCEEDED at t=0, polled every 0.5 s while only analysis is left, given up at t=12 s
        assertThat(ticker.seconds()).isEqualTo(12.0);
        assertThat(ticker.sleeps).allMatch(d -> d.equals(Duration.ofMillis(500)));
        assertThat(text.toString())
                .contains("run-0000000000fa   waiting up to 12 s for the analysis of step 1407 (1 to come)")
                .contains("run-0000000000fa   analysis of step 1407 incomplete after 12 s; missing: fc2.update");
    }

    @Test
    void theEarlierRunsAnalysisWaitOverlapsTheLaterRunsTraining() throws Exception {
        ObjectNode bpIncomplete = Fixtures.json(Fixtures.BP);
        ((ArrayNode) bpIncomplete.get("analysis")).remove(0);
        ObjectNode faQueued = Fixtures.json("{\"id\": \"run-0000000000fa\", \"state\": \"QUEUED\"}");
        ObjectNode faRunning = Fixtures.json(Fixtures.FA).put("state", "RUNNING");
        JsonNode[] fa = new JsonNode[12];
        for (int i = 0; i < fa.length; i++) {
            fa[i] = i < 2 ? faQueued : faRunning;
        }
        fa[fa.length - 1] = Fixtures.json(Fixtures.FA);
        FakeGateway gateway = new FakeGateway().view("run-0000000000bp", bpIncomplete).view("run-0000000000fa", fa);
        Map<String, String> runs = new LinkedHashMap<>();
        runs.put("run-0000000000bp", "bp");
        runs.put("run-0000000000fa", "fa");

        Map<String, JsonNode> done = watcher(gateway).await(runs);

        assertThat(done.keySet()).containsExactly("run-0000000000bp", "run-0000000000fa");
        // BP's 12 s ran out while FA trained; FA was complete on its 12th poll, 11 polls of 2 s later
        assertThat(ticker.seconds()).isEqualTo(22.0);
        assertThat(gateway.gets.get("run-0000000000bp")).isEqualTo(7);
    }

    @Test
    void aFailedRunIsDoneAtOnce() throws Exception {
        ObjectNode failed = Fixtures.json("""
                {"id": "run-00000000dead", "state": "FAILED", "reason": "out of memory", "spec": {"method": "fa"}}""");
        FakeGateway gateway = new FakeGateway().view("run-00000000dead", failed);

        watcher(gateway).await(Map.of("run-00000000dead", "fa"));

        assertThat(ticker.sleeps).isEmpty();
        assertThat(text.toString()).contains("FAILED     [--------------------]   0% reason: out of memory");
    }

    @Test
    void aCancelledRunIsDoneAtOnce() throws Exception {
        ObjectNode cancelled = Fixtures.json(Fixtures.FA).put("state", "CANCELLED").put("reason", "not needed");
        FakeGateway gateway = new FakeGateway().view("run-0000000000fa", cancelled);

        Map<String, JsonNode> done = watcher(gateway).await(Map.of("run-0000000000fa", "fa"));

        assertThat(done.get("run-0000000000fa").path("state").asText()).isEqualTo("CANCELLED");
        assertThat(ticker.sleeps).isEmpty();
        assertThat(text.toString()).contains("CANCELLED").contains("reason: not needed").doesNotContain("waiting");
    }
}
