package org.falab.analysis.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares with NumPy: src/test/python/make_rank_fixtures.py wrote the .npy files and numpy.linalg.svd's effective
 * rank of each into rank-fixtures/expected.json.
 */
class EffectiveRankFixturesTest {

    private static final String DIR = "/rank-fixtures/";

    static Stream<Arguments> fixtures() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(resource("expected.json"));
        List<Arguments> out = new ArrayList<>();
        expected.fields().forEachRemaining(e -> out.add(Arguments.of(e.getKey(), e.getValue())));
        return out.stream();
    }

    @Test
    void allEightFixturesArePresent() throws IOException {
        assertThat(fixtures()).hasSize(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void agreesWithNumpySvdToOneInABillion(String name, JsonNode expected) throws IOException {
        DMatrixRMaj m = NpyMatrices.read(resource(expected.get("file").asText()).readAllBytes());
        assertThat(m.numRows).isEqualTo(expected.get("rows").asInt());
        assertThat(m.numCols).isEqualTo(expected.get("cols").asInt());

        RankSummary summary = EffectiveRank.analyse(m);
        double numpy = expected.get("effectiveRank").asDouble();
        assertThat(summary.effectiveRank()).isCloseTo(numpy, within(1e-9 * numpy));
        assertThat(summary.nearZeroRows()).isEqualTo(expected.get("nearZeroRows").asInt());
        assertThat(summary.singularValueCount()).isEqualTo(Math.min(m.numRows, m.numCols));
    }

    private static InputStream resource(String file) {
        InputStream in = EffectiveRankFixturesTest.class.getResourceAsStream(DIR + file);
        assertThat(in).as("test resource %s%s", DIR, file).isNotNull();
        return in;
    }
}
