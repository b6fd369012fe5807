package org.falab.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A gateway in memory: each run id answers its scripted views one GET at a time and then keeps answering the last.
 */
final class FakeGateway implements Gateway {

    final List<ObjectNode> submittedRuns = new ArrayList<>();
    final List<ObjectNode> submittedSweeps = new ArrayList<>();
    final Map<String, Integer> gets = new HashMap<>();
    final List<String> cancels = new ArrayList<>();
    final List<Integer> listLimits = new ArrayList<>();
    private JsonNode list = Fixtures.tree("[]");
    private final Deque<String> runIds = new ArrayDeque<>();
    private final Map<String, Deque<JsonNode>> views = new HashMap<>();
    private final Map<String, Deque<JsonNode>> sweeps = new HashMap<>();
    private final Map<String, JsonNode> metrics = new HashMap<>();
    private JsonNode sweepAccepted;
    private GatewayException refusal;

    /** The next POST /api/v1/runs gets this id; GET of it answers the views in turn. */
    FakeGateway run(String id, JsonNode... script) {
        runIds.add(id);
        views.put(id, new ArrayDeque<>(List.of(script)));
        return this;
    }

    /** GET of a run that is not submitted here (a sweep's). */
    FakeGateway view(String id, JsonNode... script) {
        views.put(id, new ArrayDeque<>(List.of(script)));
        return this;
    }

    FakeGateway sweep(JsonNode accepted, String id, JsonNode... script) {
        sweepAccepted = accepted;
        sweeps.put(id, new ArrayDeque<>(List.of(script)));
        return this;
    }

    /** What GET /api/v1/runs/{id}/metrics answers for the run. */
    FakeGateway metrics(String id, JsonNode history) {
        metrics.put(id, history);
        return this;
    }

    /** What GET /api/v1/runs answers. */
    FakeGateway list(JsonNode runs) {
        this.list = runs;
        return this;
    }

    /** Every request is answered with this. */
    FakeGateway refusing(GatewayException refusal) {
        this.refusal = refusal;
        return this;
    }

    @Override
    public JsonNode submitRun(ObjectNode spec) {
        if (refusal != null) {
            throw refusal;
        }
        submittedRuns.add(spec.deepCopy());
        ObjectNode accepted = Fixtures.json("{}");
        accepted.put("id", runIds.remove());
        return accepted;
    }

    @Override
    public JsonNode run(String id) {
        if (refusal != null) {
            throw refusal;
        }
        gets.merge(id, 1, Integer::sum);
        return next(views, id);
    }

    @Override
    public JsonNode metrics(String id) {
        if (refusal != null) {
            throw refusal;
        }
        return metrics.getOrDefault(id, Fixtures.tree("[]"));
    }

    @Override
    public JsonNode runs(Integer limit) {
        if (refusal != null) {
            throw refusal;
        }
        listLimits.add(limit);
        return list;
    }

    /** Answers the run's next view with state CANCELLING; the reason is recorded as {@code id: reason}. */
    @Override
    public JsonNode cancelRun(String id, String reason) {
        if (refusal != null) {
            throw refusal;
        }
        cancels.add(id + ": " + reason);
        ObjectNode view = next(views, id).deepCopy();
        view.put("state", "CANCELLING");
        return view;
    }

    @Override
    public JsonNode submitSweep(ObjectNode body) {
        if (refusal != null) {
            throw refusal;
        }
        submittedSweeps.add(body.deepCopy());
        return sweepAccepted;
    }

    @Override
    public JsonNode sweep(String id) {
        return next(sweeps, id);
    }

    @Override
    public String location() {
        return "http://gateway.test:8080";
    }

    private static JsonNode next(Map<String, Deque<JsonNode>> scripts, String id) {
        Deque<JsonNode> script = scripts.get(id);
        if (script == null) {
            throw GatewayException.refused("http://gateway.test:8080", "GET " + id, 404,
                    "{\"title\": \"Run not found\", \"detail\": \"no run " + id + "\"}");
        }
        return script.size() > 1 ? script.remove() : script.peek();
    }
}
