package org.falab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code falab run list}: {@code GET /api/v1/runs}, newest first, as a table, CSV or the gateway's JSON. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List runs, newest first: id, state, dataset, method, optimizer, step, test accuracy.",
        footer = {"", FalabCli.EXIT_STATUS})
public final class RunListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOption gateway;

    @Option(names = "--limit", paramLabel = "N",
            description = "At most the N newest runs (1 to 10000; default: the gateway's, all).")
    Integer limit;

    @Mixin
    FormatOption format;

    private final CliEnvironment environment;

    public RunListCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (limit != null && (limit < 1 || limit > 10_000)) {
            throw new ParameterException(spec.commandLine(), "--limit must be between 1 and 10000");
        }
        JsonNode runs = environment.connect(gateway).runs(limit);
        PrintWriter out = spec.commandLine().getOut();
        switch (format.format) {
            case json -> out.println(ResultsCommand.pretty(runs));
            case csv -> out.print(rows(runs).csv());
            case table -> rows(runs).table().forEach(out::println);
        }
        out.flush();
        return FalabCli.EXIT_OK;
    }

    /** One row per run summary ({@code id, state, dataset, method, optimizer, progress, testAccuracy, ...}). */
    static Rows rows(JsonNode runs) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode run : runs) {
            Long step = RunViews.step(run);
            Long total = RunViews.totalSteps(run);
            rows.add(List.of(run.path("id").asText(), RunViews.state(run), RunResultsCsv.text(run.get("dataset")),
                    RunResultsCsv.text(run.get("method")), RunResultsCsv.text(run.get("optimizer")),
                    step == null ? "" : step + (total == null ? "" : "/" + total),
                    RunResultsCsv.text(run.get("testAccuracy")), RunResultsCsv.text(run.get("submittedAt"))));
        }
        return new Rows(List.of("id", "state", "dataset", "method", "optimizer", "step", "test_accuracy",
                "submitted_at"), rows);
    }
}
