package org.falab.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.json.ContractJson;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code falab results ID --format table|csv|json}: a run's results (or, for a sweep's id, the sweep's), made here
 * from the gateway's JSON views, so that any gateway version serves them. Table: the runs and rank tables
 * ({@link RunReport}) or the sweep's Markdown tables ({@link SweepReport}); CSV: {@link RunResultsCsv} or
 * {@link SweepResultsCsv}; JSON: the view as the gateway sent it.
 */
@Command(name = "results", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the results of a run or a sweep.",
                "A run: table = its metrics, timing, warnings and each layer's effective ranks at the last probe; "
                        + "csv = one row per probe step and layer (effective, maximum and near-zero rank of each "
                        + "ranked quantity, angle to BP, W-B angle, norm ratio); json = its view.",
                "A sweep: table = mean and spread over seeds per cell; csv = one row per cell; json = its view.",
                "CSV is RFC 4180 (header, CRLF, quoted fields): pandas.read_csv reads it without options."},
        footer = {"", FalabCli.EXIT_STATUS})
public final class ResultsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOption gateway;

    @Parameters(paramLabel = "ID", description = "A run's id (run-...) or a sweep's (sweep-...).")
    String id;

    @Mixin
    FormatOption format;

    private final CliEnvironment environment;

    public ResultsCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        Gateway client = environment.connect(gateway);
        PrintWriter out = spec.commandLine().getOut();
        JsonNode run;
        try {
            run = client.run(id);
        } catch (GatewayException notARun) {
            if (notARun.status() != 404) {
                throw notARun;
            }
            JsonNode sweep;
            try {
                sweep = client.sweep(id);
            } catch (GatewayException notASweep) {
                throw notASweep.status() == 404 ? notARun : notASweep;
            }
            switch (format.format) {
                case json -> out.println(pretty(sweep));
                case csv -> out.print(SweepResultsCsv.of(sweep).csv());
                case table -> out.print(SweepReport.tables(client, sweep, null, null));
            }
            out.flush();
            return FalabCli.EXIT_OK;
        }
        switch (format.format) {
            case json -> out.println(pretty(run));
            case csv -> out.print(RunResultsCsv.of(run).csv());
            case table -> RunReport.print(out, List.of(run));
        }
        out.flush();
        return FalabCli.EXIT_OK;
    }

    static String pretty(JsonNode json) {
        try {
            return ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
