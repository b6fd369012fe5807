package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static ObjectNode running(long step) {
        return Fixtures.json("""
                {"id": "run-0000000000fa", "state": "RUNNING", "spec": {"method": "fa", "epochs": 3},
                 "startedAt": "2026-12-01T10:00:00Z", "lastHeartbeatAt": "2026-12-01T10:00:30Z",
                 "progress": {"epoch": 2, "step": %d, "totalSteps": 400},
                 "metrics": {"trainLoss": 0.41234, "testAccuracy": 0.8012}}""".formatted(step));
    }

    @Test
    void theBarShowsEpochStepLossAccuracyAndTheTimeLeftAtThePaceSoFar() {
        // 100 steps in 30 s: 300 steps left take 90 s
        assertThat(ProgressBar.of("run-0000000000fa", "", running(100))).isEqualTo("run-0000000000fa   fa   RUNNING    "
                + "[#####---------------]  25% epoch 2/3 step 100/400 loss 0.4123 test acc 0.8012 ETA 1m30s");
        // 300 steps in 30 s: 100 left take 10 s
        assertThat(ProgressBar.of("run-0000000000fa", "fa", running(300))).contains("[###############-----]  75%")
                .endsWith("ETA 10s");
        assertThat(ProgressBar.timeLeft(running(300))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void noTimeLeftBeforeTheFirstStepNorOnceTheRunEnded() {
        ObjectNode queued = Fixtures.json("{\"id\": \"run-0000000000fa\", \"state\": \"QUEUED\"}");
        assertThat(ProgressBar.of("run-0000000000fa", "fa", queued))
                .isEqualTo("run-0000000000fa   fa   QUEUED     [--------------------]   0%");
        assertThat(ProgressBar.timeLeft(running(0))).isNull();
        ObjectNode cancelled = running(100).put("state", "CANCELLED").put("reason", "by alice");
        assertThat(ProgressBar.of("run-0000000000fa", "fa", cancelled)).doesNotContain("ETA")
                .endsWith("test acc 0.8012 reason: by alice");
        assertThat(ProgressBar.of("run-0000000000fa", "fa", running(100).put("state", "SUCCEEDED")))
                .contains("[####################] 100%").doesNotContain("ETA");
    }

    @Test
    void durationsReadAsSecondsMinutesOrHours() {
        assertThat(ProgressBar.duration(Duration.ofMillis(41_600))).isEqualTo("42s");
        assertThat(ProgressBar.duration(Duration.ofSeconds(185))).isEqualTo("3m05s");
        assertThat(ProgressBar.duration(Duration.ofSeconds(7_650))).isEqualTo("2h07m");
    }

    @Test
    void outsideATerminalABarIsPrintedAgainOnlyWhenItChanged() {
        StringWriter text = new StringWriter();
        ProgressDisplay display = ProgressDisplay.lines(new PrintWriter(text));
        display.update("a", "a 10%");
        display.update("b", "b 0%");
        display.render();
        display.update("a", "a 10%");
        display.update("b", "b 5%");
        display.render();
        display.note("a note");

        assertThat(text.toString().lines()).containsExactly("a 10%", "b 0%", "b 5%", "a note");
    }

    @Test
    void onATerminalTheBarsAreRedrawnInPlaceCutToTheWidth() {
        StringWriter text = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), true, 30);
        display.update("a", "a".repeat(40));
        display.update("b", "b 0%");
        display.render();
        display.update("b", "b 5%");
        display.render();
        display.note("done");

        String esc = "\033[";
        String first = esc + "2K" + "a".repeat(29) + System.lineSeparator() + esc + "2K" + "b 0%" + System.lineSeparator();
        String second = esc + "2F" + esc + "2K" + "a".repeat(29) + System.lineSeparator() + esc + "2K" + "b 5%"
                + System.lineSeparator();
        String note = esc + "2F" + esc + "J" + "done" + System.lineSeparator() + esc + "2K" + "a".repeat(29)
                + System.lineSeparator() + esc + "2K" + "b 5%" + System.lineSeparator();
        assertThat(text.toString()).isEqualTo(first + second + note);
    }
}
