package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV of {@code falab results} read by Python's {@code csv} module with no options (as pandas' {@code read_csv}
 * reads it): every cell comes back as written, also a layer name with a comma, quotes and a line break. Skipped
 * without /usr/bin/python3, failed in CI.
 */
class CsvPythonTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String READ = """
            import csv, json, sys
            with open(sys.argv[1], newline="") as f:
                rows = list(csv.reader(f))
            print(json.dumps(rows))
            """;

    @Test
    void pythonsCsvModuleReadsARunsResultsCellForCell(@TempDir Path dir) throws Exception {
        ObjectNode run = Fixtures.json(Fixtures.FA);
        // a hostile layer name: the CSV must quote it
        for (JsonNode result : run.withArray("analysis")) {
            if ("fc2".equals(result.path("layer").asText())) {
                ((ObjectNode) result).put("layer", "block \"2\", conv\nb");
            }
        }
        assertReadBack(dir, RunResultsCsv.of(run));
    }

    @Test
    void pythonsCsvModuleReadsASweepsTableCellForCell(@TempDir Path dir) throws Exception {
        JsonNode sweep = Fixtures.json("""
                {"id": "sweep-000000000001",
                 "groups": [{"cell": {"method": "fa", "norm": "batch"}, "runs": 3, "finished": 3,
                             "testAccuracy": {"mean": 0.8, "std": 0.012, "min": 0.79, "max": 0.81, "n": 3},
                             "effectiveRank": {"fc1": {"mean": 40.5, "std": 1.25, "n": 3}}},
                            {"cell": {"method": "bp"}, "runs": 3, "finished": 3,
                             "testAccuracy": {"mean": null, "std": null, "min": null, "max": null, "n": 0},
                             "effectiveRank": {}}]}""");
        assertReadBack(dir, SweepResultsCsv.of(sweep));
    }

    private static void assertReadBack(Path dir, Rows rows) throws Exception {
        Tools.require(Files.isExecutable(Path.of(PYTHON)), PYTHON, "apt-get install python3");
        Path csv = dir.resolve("results.csv");
        Files.writeString(csv, rows.csv(), StandardCharsets.UTF_8);
        Process python = new ProcessBuilder(PYTHON, "-c", READ, csv.toString()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();

        List<List<String>> expected = new ArrayList<>();
        expected.add(rows.header());
        expected.addAll(rows.rows());
        List<List<String>> read = new ArrayList<>();
        for (JsonNode row : ContractJson.readTree(output)) {
            List<String> cells = new ArrayList<>();
            row.forEach(cell -> cells.add(cell.asText()));
            read.add(cells);
        }
        assertThat(read).isEqualTo(expected);
        assertThat(read).hasSizeGreaterThan(2);
    }
}
