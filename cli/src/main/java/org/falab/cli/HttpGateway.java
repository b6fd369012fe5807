package org.falab.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;

/** The gateway's HTTP API over {@link HttpClient}, at any host. */
public final class HttpGateway implements Gateway {

    private static final ObjectMapper JSON = ContractJson.mapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String base;
    /** Sent as {@code Authorization: Bearer}; empty for a gateway without authentication. */
    private final Optional<String> token;

    public HttpGateway(URI gateway, Optional<String> token) {
        this.token = token;
        this.base = gateway.toString().replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public String location() {
        return base;
    }

    @Override
    public JsonNode submitRun(ObjectNode spec) throws InterruptedException {
        return post("/api/v1/runs", spec);
    }

    @Override
    public JsonNode run(String id) throws InterruptedException {
        return get("/api/v1/runs/" + segment(id));
    }

    @Override
    public JsonNode metrics(String id) throws InterruptedException {
        return get("/api/v1/runs/" + segment(id) + "/metrics");
    }

    @Override
    public JsonNode runs(Integer limit) throws InterruptedException {
        return get("/api/v1/runs" + (limit == null ? "" : "?limit=" + limit));
    }

    @Override
    public JsonNode cancelRun(String id, String reason) throws InterruptedException {
        String path = "/api/v1/runs/" + segment(id) + "/cancel";
        if (reason == null) {
            return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), "POST " + path);
        }
        ObjectNode body = ContractJson.object();
        body.put("reason", reason);
        return post(path, body);
    }

    @Override
    public JsonNode submitSweep(ObjectNode body) throws InterruptedException {
        return post("/api/v1/sweeps", body);
    }

    @Override
    public JsonNode sweep(String id) throws InterruptedException {
        return get("/api/v1/sweeps/" + segment(id));
    }

    private JsonNode post(String path, JsonNode body) throws InterruptedException {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body", e);
        }
        HttpRequest request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build();
        return send(request, "POST " + path);
    }

    private JsonNode get(String path) throws InterruptedException {
        return send(request(path).GET().build(), "GET " + path);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    private JsonNode send(HttpRequest request, String what) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw GatewayException.unreachable(base, what, e);
        }
        int status = response.statusCode();
        if (status == 401) {
            throw GatewayException.unauthorized(base, what, token.isPresent(), response.body());
        }
        if (status < 200 || status > 299) {
            throw GatewayException.refused(base, what, status, response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException | RuntimeException e) {
            throw new GatewayException("the gateway at " + base + " answered " + what + " with " + status
                    + " but no JSON: " + e.getMessage(), status, null, java.util.List.of(), e);
        }
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
