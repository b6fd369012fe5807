package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayExceptionTest {

    @Test
    void readsTheProblemDetailAndErrors() {
        GatewayException e = GatewayException.refused("http://h:8080", "POST /api/v1/sweeps", 400, """
                {"type": "https://falab.org/problems/invalid-sweep", "title": "Invalid sweep", "status": 400,
                 "detail": "The sweep is invalid: grid.seed must be a non-empty array of values",
                 "errors": [{"field": "grid.seed", "message": "must be a non-empty array of values"}]}""");

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.detail()).isEqualTo("The sweep is invalid: grid.seed must be a non-empty array of values");
        assertThat(e.errors()).containsExactly("grid.seed: must be a non-empty array of values");
        assertThat(e.describe()).containsExactly(
                "falab: the gateway at http://h:8080 refused POST /api/v1/sweeps: 400 Invalid sweep: "
                        + "The sweep is invalid: grid.seed must be a non-empty array of values",
                "  grid.seed: must be a non-empty array of values");
    }

    @Test
    void aBodyThatIsNoProblemIsShownAsItIs() {
        GatewayException e = GatewayException.refused("http://h:8080", "GET /api/v1/runs/x", 502, "Bad Gateway");

        assertThat(e.describe()).containsExactly("falab: the gateway at http://h:8080 refused GET /api/v1/runs/x: "
                + "502: Bad Gateway");
        assertThat(e.errors()).isEmpty();
    }
}
