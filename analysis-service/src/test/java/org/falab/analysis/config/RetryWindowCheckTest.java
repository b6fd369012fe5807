package org.falab.analysis.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryWindowCheckTest {

    @Test
    void theDefaultsFit() {
        // application.properties: 180 s of retries, 30 s publish timeout, a 600 s stuck-record limit
        assertThatCode(() -> RetryWindowCheck.check(Duration.ofSeconds(180), Duration.ofSeconds(30), 600_000))
                .doesNotThrowAnyException();
    }

    @Test
    void aRetryWindowBeyondTheStuckRecordLimitIsRefused() {
        // the connector's own default limit (60 s) would fail the channel during a 180 s retry
        assertThatThrownBy(() -> RetryWindowCheck.check(Duration.ofSeconds(180), Duration.ofSeconds(30), 60_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unprocessed-record-max-age.ms=60000");
    }

    @Test
    void noLimitMeansAnyWindowFits() {
        assertThatCode(() -> RetryWindowCheck.check(Duration.ofHours(1), Duration.ofSeconds(30), 0))
                .doesNotThrowAnyException();
    }

    @Test
    void aNegativeWindowIsRefused() {
        assertThatThrownBy(() -> RetryWindowCheck.check(Duration.ofSeconds(-1), Duration.ofSeconds(30), 600_000))
                .isInstanceOf(IllegalStateException.class);
    }
}
