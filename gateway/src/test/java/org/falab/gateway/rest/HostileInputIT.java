package org.falab.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.falab.contracts.auth.Claims;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.Auth;
import org.falab.localstack.LocalAuth;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Hundreds of hostile requests, sent as raw bytes with a plain HTTP client (so nothing fixes them up on the way):
 * wrong types, missing fields, huge numbers, NaN and Infinity, deep and huge JSON, duplicate keys, wrong and
 * missing content types, invalid UTF-8, unknown fields, bad ids in paths, bad idempotency keys. Each must be a 4xx
 * application/problem+json, never a 5xx, a stack trace or a hang, and the gateway must take a valid run afterwards.
 * Once with a researcher's token (the problems name the bad field), and once without a token and with each kind of
 * bad one (expired, signed by another key, of another issuer, {@code alg: none}, not a JWT, not a bearer): then
 * every request that reaches an endpoint is a 401 naming Authorization.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class HostileInputIT {

    private static final String JSON = "application/json";
    private static final String OK = "\"dataset\": \"mnist\", \"method\": \"fa\"";
    /** Wrong for every field of a run spec: strings, objects, numbers out of every range, non-numbers, arrays. */
    private static final List<String> BAD_VALUES = List.of("\"x\"", "{}", "{\"a\": 1}", "1e400", "-1e400",
            "123456789012345678901234567890", "-1", "NaN", "Infinity", "-Infinity", "\"NaN\"", "[\"a\"]",
            "[1e400]", "\"\"");

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    /** One hostile request; {@code field} is the field the problem must name, or null when any is fine. */
    record Case(String name, String method, String path, Map<String, String> headers, byte[] body, String field) {

        static Case post(String name, String path, String contentType, String body, String field) {
            return post(name, path, contentType, body.getBytes(StandardCharsets.UTF_8), field);
        }

        static Case post(String name, String path, String contentType, byte[] body, String field) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            return new Case(name, "POST", path, headers, body, field);
        }
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        runSpecFields(cases);
        bodies(cases);
        contentTypes(cases);
        paths(cases);
        idempotencyKeys(cases);
        sweeps(cases);
        return cases;
    }

    @Test
    void everyHostileRequestIsA4xxProblemAndTheGatewayStillTakesARun() throws Exception {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        String authorization = "Bearer " + Auth.token();

        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (Case c : cases) {
            RawHttp.Answer answer = send(c, authorization);
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            String contentType = answer.contentType();
            if (answer.statusCode() < 400 || answer.statusCode() >= 500) {
                failures.add(c.name() + ": status " + answer.statusCode() + " " + abbreviate(answer.body()));
            } else if (!contentType.startsWith("application/problem+json")) {
                failures.add(c.name() + ": status " + answer.statusCode() + ", content type '" + contentType + "' "
                        + abbreviate(answer.body()));
            } else {
                JsonNode problem = mapper.readTree(answer.body());
                if (problem.path("status").asInt() != answer.statusCode() || !problem.has("title")) {
                    failures.add(c.name() + ": not a problem: " + abbreviate(answer.body()));
                } else if (answer.body().contains("Exception") || answer.body().contains("\tat ")) {
                    failures.add(c.name() + ": leaks internals: " + abbreviate(answer.body()));
                } else if (c.field() != null && fields(problem).stream().noneMatch(f -> f.equals(c.field())
                        || f.startsWith(c.field() + "[") || f.startsWith(c.field() + "."))) {
                    failures.add(c.name() + ": does not name " + c.field() + ": " + abbreviate(answer.body()));
                }
            }
        }
        System.out.printf("hostile requests: %d, statuses %s%n", cases.size(), statuses);
        assertThat(failures).as("requests not answered with a 4xx problem").isEmpty();

        assertTakesARun(authorization);
    }

    /**
     * Without a valid token nothing but a 401 comes back from an endpoint. What Vert.x or JAX-RS routing answers
     * before an endpoint is chosen (413 over the body limit, 404 unknown route, 405 wrong method, 406, 415 by
     * {@code @Consumes}) needs no identity and is still a problem; no request is ever accepted.
     */
    @Test
    void withoutAValidTokenEveryHostileRequestIsA401ProblemOrRefusedBeforeRouting() throws Exception {
        LocalAuth auth = LocalStackResource.auth();
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("no token", null);
        credentials.put("expired", "Bearer " + auth.expired("mallory", Claims.ADMIN));
        credentials.put("wrong key", "Bearer " + auth.wrongKey("mallory", Claims.ADMIN));
        credentials.put("wrong issuer", "Bearer " + auth.wrongIssuer("mallory", Claims.ADMIN));
        credentials.put("alg none", "Bearer " + auth.algNone("mallory", Claims.ADMIN));
        credentials.put("not a JWT", "Bearer not.a.jwt");
        credentials.put("empty bearer", "Bearer ");
        credentials.put("basic", "Basic " + java.util.Base64.getEncoder().encodeToString(
                "admin:admin".getBytes(StandardCharsets.UTF_8)));
        List<Case> cases = cases();
        List<String> failures = new ArrayList<>();
        for (var credential : credentials.entrySet()) {
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (Case c : cases) {
                RawHttp.Answer answer = send(c, credential.getValue());
                statuses.merge(answer.statusCode(), 1, Integer::sum);
                String where = credential.getKey() + ", " + c.name() + ": status " + answer.statusCode() + " ";
                if (!PRE_ROUTING.contains(answer.statusCode()) && answer.statusCode() != 401) {
                    failures.add(where + abbreviate(answer.body()));
                } else if (!answer.contentType().startsWith("application/problem+json")) {
                    failures.add(where + "content type '" + answer.contentType() + "'");
                } else if (answer.statusCode() == 401
                        && !fields(mapper.readTree(answer.body())).contains("Authorization")) {
                    failures.add(where + "does not name Authorization: " + abbreviate(answer.body()));
                }
            }
            System.out.printf("hostile requests with %s: %d, statuses %s%n", credential.getKey(), cases.size(),
                    statuses);
            assertThat(statuses.getOrDefault(401, 0)).as(credential.getKey() + ": most requests reach an endpoint")
                    .isGreaterThan(cases.size() / 2);
        }
        assertThat(failures).as("requests without a valid token answered otherwise").isEmpty();
        assertTakesARun("Bearer " + Auth.token());
    }

    /** Statuses answered before an endpoint is chosen, for anyone (see the test above). */
    private static final java.util.Set<Integer> PRE_ROUTING = java.util.Set.of(404, 405, 406, 413, 415);

    private void assertTakesARun(String authorization) throws Exception {
        RawHttp.Answer valid = send(Case.post("valid", "/api/v1/runs", JSON, "{" + OK + "}", null), authorization);
        assertThat(valid.statusCode()).as(valid.body()).isEqualTo(202);
        String id = mapper.readTree(valid.body()).path("id").asText();
        RawHttp.Answer run = send(new Case("get", "GET", "/api/v1/runs/" + id, Map.of(), null, null),
                authorization);
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(run.body()).path("state").asText()).isEqualTo("QUEUED");
        // a body in chunks, within the limit, is read like any other
        RawHttp.Answer chunked = send(Case.post("chunked valid", "/api/v1/sweeps", JSON,
                "{\"base\": {" + OK + "}, \"grid\": {\"seed\": [1, 2]}}", null), authorization);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(202);
    }

    /** Every field of a run spec with every bad value: 25 x 14. */
    private static void runSpecFields(List<Case> cases) {
        for (var component : RunSpec.class.getRecordComponents()) {
            String field = component.getName();
            for (String value : BAD_VALUES) {
                String body = switch (field) {
                    case "dataset" -> "{\"dataset\": " + value + ", \"method\": \"fa\"}";
                    case "method" -> "{\"dataset\": \"mnist\", \"method\": " + value + "}";
                    default -> "{" + OK + ", \"" + field + "\": " + value + "}";
                };
                // a value JSON cannot parse at all (NaN) is a problem with the body, not with one field
                boolean parses = !value.contains("NaN\"") && !value.matches("-?(NaN|Infinity)");
                cases.add(Case.post(field + "=" + value, "/api/v1/runs", JSON, body,
                        parses && !value.contains("e400") && !value.startsWith("1234") ? field : null));
            }
        }
        cases.add(Case.post("no dataset", "/api/v1/runs", JSON, "{\"method\": \"fa\"}", "dataset"));
        cases.add(Case.post("no method", "/api/v1/runs", JSON, "{\"dataset\": \"mnist\"}", "method"));
        cases.add(Case.post("null dataset", "/api/v1/runs", JSON, "{\"dataset\": null, \"method\": \"fa\"}",
                "dataset"));
        cases.add(Case.post("unknown field", "/api/v1/runs", JSON, "{" + OK + ", \"lr\": 0.1}", "lr"));
        cases.add(Case.post("unknown nested", "/api/v1/runs", JSON, "{" + OK + ", \"spec\": {\"epochs\": 1}}",
                "spec"));
        cases.add(Case.post("2000-digit number", "/api/v1/runs", JSON, "{" + OK + ", \"epochs\": "
                + "9".repeat(2000) + "}", null));
        cases.add(Case.post("2000-digit fraction", "/api/v1/runs", JSON, "{" + OK + ", \"learningRate\": 0."
                + "1".repeat(2000) + "}", null));
        cases.add(Case.post("epochs huge", "/api/v1/runs", JSON, "{" + OK + ", \"epochs\": 2147483648}", null));
        cases.add(Case.post("seed huge", "/api/v1/runs", JSON, "{" + OK + ", \"seed\": 9223372036854775808}", null));
        cases.add(Case.post("hidden huge list", "/api/v1/runs", JSON, "{" + OK + ", \"hidden\": ["
                + "1,".repeat(100_000) + "1]}", "hidden"));
    }

    private static void bodies(List<Case> cases) {
        String[] notObjects = {"", " ", "null", "[]", "[{" + OK + "}]", "\"mnist\"", "42", "true", "{", "}",
                "{" + OK, "{" + OK + "}}", "{" + OK + "} {}", "{" + OK + "} garbage", "{'dataset': 'mnist'}",
                "{dataset: \"mnist\", method: \"fa\"}", "{" + OK + ",}", "{\"dataset\": \"mnist\" \"method\": \"fa\"}",
                "{\"dataset\": \"mnist\", \"method\": \"fa\" /* comment */}", "\u0000", "{\"\u0000\": 1}"};
        for (String body : notObjects) {
            cases.add(Case.post("body " + body, "/api/v1/runs", JSON, body, null));
        }
        cases.add(Case.post("duplicate key", "/api/v1/runs", JSON,
                "{\"dataset\": \"mnist\", \"dataset\": \"mnist\", \"method\": \"fa\"}", "dataset"));
        cases.add(Case.post("duplicate key, another value", "/api/v1/runs", JSON,
                "{" + OK + ", \"epochs\": 1, \"epochs\": 1000}", "epochs"));
        cases.add(Case.post("deep arrays", "/api/v1/runs", JSON,
                "{" + OK + ", \"hidden\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}", null));
        cases.add(Case.post("deep objects", "/api/v1/runs", JSON,
                "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000), null));
        cases.add(Case.post("deep 2000", "/api/v1/runs", JSON,
                "{" + OK + ", \"hidden\": " + "[".repeat(2000) + "]".repeat(2000) + "}", null));
        cases.add(Case.post("open arrays only", "/api/v1/runs", JSON, "[".repeat(500_000), null));
        cases.add(Case.post("many unknown fields", "/api/v1/runs", JSON, manyFields(40_000), null));
        cases.add(Case.post("huge string", "/api/v1/runs", JSON,
                "{\"dataset\": \"" + "m".repeat(900_000) + "\", \"method\": \"fa\"}", "dataset"));
        cases.add(Case.post("over the size limit", "/api/v1/runs", JSON,
                "{" + OK + ", \"pad\": \"" + "x".repeat(1_100_000) + "\"}", null));
        cases.add(Case.post("chunked over the size limit", "/api/v1/runs", JSON,
                "{" + OK + ", \"pad\": \"" + "x".repeat(1_500_000) + "\"}", null));
        cases.add(Case.post("sweep over the size limit", "/api/v1/sweeps", JSON,
                "{\"base\": {" + OK + "}, \"pad\": \"" + "x".repeat(2_000_000) + "\"}", null));
        byte[][] invalidUtf8 = {
                {'{', '"', 'd', (byte) 0xff, '"', ':', '1', '}'},
                bytes("{\"dataset\": \"mnist\", \"method\": \"fa\", \"x\": \"", new byte[] {(byte) 0xc0, (byte) 0xaf},
                        "\"}"),
                bytes("{\"dataset\": \"mnist\", \"method\": \"fa\"", new byte[] {(byte) 0xe2, (byte) 0x82}, "}"),
                bytes("{\"dataset\": \"mn", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "ist\", \"method\": \"fa\"}"),
                bytes("", new byte[] {(byte) 0xfe, (byte) 0xff}, "{\"dataset\": \"mnist\", \"method\": \"fa\"}"),
                bytes("{\"dataset\": \"mnist\", \"method\": \"fa\"}", new byte[] {(byte) 0x80}, ""),
                bytes("{\"dataset\": \"mnist\", \"method\": \"", new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80,
                        (byte) 0x80, (byte) 0x80}, "\"}"),
        };
        for (int i = 0; i < invalidUtf8.length; i++) {
            cases.add(Case.post("invalid UTF-8 #" + i, "/api/v1/runs", JSON, invalidUtf8[i], "body"));
            cases.add(Case.post("sweep invalid UTF-8 #" + i, "/api/v1/sweeps", JSON, invalidUtf8[i], "body"));
        }
    }

    private static void contentTypes(List<Case> cases) {
        String spec = "{" + OK + "}";
        String sweep = "{\"base\": {" + OK + "}}";
        String[] wrong = {null, "text/plain", "application/xml", "text/json", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/octet-stream", "application/problem+json",
                "application/jsonx", "text/html", "not a media type", "application/"};
        for (String type : wrong) {
            cases.add(Case.post("run as " + type, "/api/v1/runs", type, spec, null));
            cases.add(Case.post("sweep as " + type, "/api/v1/sweeps", type, sweep, null));
        }
        cases.add(Case.post("cancel body as text", "/api/v1/runs/run-000000000000/cancel", "text/plain", "stop",
                null));
        cases.add(Case.post("cancel with no type", "/api/v1/runs/run-000000000000/cancel", null, "{}", null));
    }

    private static void paths(List<Case> cases) {
        String[] ids = {"run-000000000000", "nope", "..", "%2e%2e", "%2F", "run-%00", "%20", "%C3%A9", "a".repeat(3000),
                "run-000000000000%2Fanalysis", "'%20OR%201=1", "%3Cscript%3E", "run-000000000000.json",
                "RUN-ABC", "-", "%FF"};
        for (String id : ids) {
            cases.add(new Case("GET run " + id, "GET", "/api/v1/runs/" + id, Map.of(), null, null));
            cases.add(new Case("GET analysis " + id, "GET", "/api/v1/runs/" + id + "/analysis", Map.of(), null,
                    null));
            cases.add(Case.post("cancel run " + id, "/api/v1/runs/" + id + "/cancel", null, new byte[0], null));
            cases.add(new Case("GET sweep " + id, "GET", "/api/v1/sweeps/" + id, Map.of(), null, null));
            cases.add(Case.post("cancel sweep " + id, "/api/v1/sweeps/" + id + "/cancel", null, new byte[0], null));
        }
        for (String query : List.of("limit=0", "limit=-1", "limit=abc", "limit=100000", "limit=1e3",
                "limit=99999999999999999999")) {
            cases.add(new Case("list " + query, "GET", "/api/v1/runs?" + query, Map.of(), null, null));
        }
        cases.add(new Case("unknown route", "GET", "/api/v1/nothing", Map.of(), null, null));
        cases.add(new Case("PUT runs", "PUT", "/api/v1/runs", Map.of("Content-Type", JSON),
                ("{" + OK + "}").getBytes(StandardCharsets.UTF_8), null));
        cases.add(new Case("DELETE run", "DELETE", "/api/v1/runs/run-000000000000", Map.of(), null, null));
        cases.add(new Case("GET cancel", "GET", "/api/v1/runs/run-000000000000/cancel", Map.of(), null, null));
        cases.add(new Case("Accept xml", "GET", "/api/v1/runs", Map.of("Accept", "application/xml"), null, null));
    }

    private static void idempotencyKeys(List<Case> cases) {
        String spec = "{" + OK + "}";
        // (a key with a control character other than a tab is not HTTP: the server itself answers 400, no problem)
        String[] keys = {"", " ", "   ", "k".repeat(256), "k".repeat(10_000), "a\tb", "\u00e9t\u00e9", "\u00ff",
                "k\u00a0"};
        for (String key : keys) {
            for (String path : List.of("/api/v1/runs", "/api/v1/sweeps")) {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", JSON);
                headers.put("Idempotency-Key", key);
                String body = path.endsWith("runs") ? spec : "{\"base\": " + spec + "}";
                cases.add(new Case("key '" + abbreviate(key) + "' on " + path, "POST", path, headers,
                        body.getBytes(StandardCharsets.ISO_8859_1), key.length() > 9000 ? null : "Idempotency-Key"));
            }
        }
    }

    private static void sweeps(List<Case> cases) {
        String base = "\"base\": {" + OK + "}";
        String[] bodies = {"{}", "{\"base\": 1}", "{\"base\": []}", "{" + base + ", \"variants\": {}}",
                "{" + base + ", \"variants\": []}", "{" + base + ", \"variants\": [1]}",
                "{" + base + ", \"grid\": []}", "{" + base + ", \"grid\": {\"seed\": 1}}",
                "{" + base + ", \"grid\": {\"seed\": []}}", "{" + base + ", \"grid\": {\"seed\": [NaN]}}",
                "{" + base + ", \"grid\": {\"seed\": [1e400]}}", "{" + base + ", \"grid\": {\"epochs\": [\"x\"]}}",
                "{" + base + ", \"grid\": {\"nothing\": [1]}}", "{" + base + ", \"extra\": 1}",
                "{" + base + ", " + base + "}", "{" + base + ", \"grid\": {\"seed\": [1], \"seed\": [2]}}",
                "{\"base\": {\"dataset\": \"mnist\", \"dataset\": \"mnist\", \"method\": \"fa\"}}",
                "{" + base + ", \"variants\": [{\"method\": \"bp\"}], \"grid\": {\"method\": [\"fa\"]}}",
                "{" + base + ", \"grid\": {\"seed\": [" + "1,".repeat(300) + "1]}}",
                "{" + base + ", \"grid\": {\"seed\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15],"
                        + " \"epochs\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}}",
                "{" + base + ", \"grid\": {\"hidden\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}}",
                "[]", "", "null"};
        for (String body : bodies) {
            cases.add(Case.post("sweep " + abbreviate(body), "/api/v1/sweeps", JSON, body, null));
        }
    }

    /** Sends a case with this Authorization header (none when null). */
    private RawHttp.Answer send(Case original, String authorization) throws IOException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>(original.headers());
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        Case c = new Case(original.name(), original.method(), original.path(), headers, original.body(),
                original.field());
        if (c.headers().containsKey("Idempotency-Key") || (authorization != null && authorization.endsWith(" "))) {
            // the JDK client refuses some header values itself (control characters, a trailing space): write
            // those bytes raw
            return RawHttp.send(base, c.method(), c.path(), c.headers(), c.body());
        }
        HttpRequest.BodyPublisher publisher = c.body() == null || c.body().length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : c.name().startsWith("chunked")
                // no Content-Length: the body comes in chunks and only its size so far can be checked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(c.body()))
                : HttpRequest.BodyPublishers.ofByteArray(c.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                        + c.path())).timeout(Duration.ofSeconds(30)).method(c.method(), publisher);
        c.headers().forEach(request::header);
        HttpResponse<String> answer = http.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new RawHttp.Answer(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(""),
                answer.body());
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        return fields;
    }

    private static String manyFields(int n) {
        StringBuilder body = new StringBuilder("{" + OK);
        for (int i = 0; i < n; i++) {
            body.append(", \"f").append(i).append("\": 1");
        }
        return body.append('}').toString();
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...(" + text.length() + ")";
    }
}
