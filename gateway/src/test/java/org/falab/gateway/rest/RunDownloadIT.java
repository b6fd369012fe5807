package org.falab.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.falab.gateway.Auth.given;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.falab.contracts.auth.Claims;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Download links on the real S3 server: the presigned URL the gateway answers fetches the object's bytes without a
 * token; a key outside the run's checkpoints and snapshots is refused naming {@code key}; another project's run is
 * 404; no token is 401.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RunDownloadIT {

    private static final String BUCKET = "falab";

    @Test
    void aPresignedUrlDownloadsTheRunsOwnCheckpointAndSnapshot() throws Exception {
        String id = submit();
        String checkpoint = ObjectKeys.checkpoint(id, 1);
        String snapshot = ObjectKeys.snapshot(id, 40, "fc1", "error-signal");
        byte[] checkpointBytes = ("checkpoint of " + id + " " + Instant.now()).getBytes(StandardCharsets.UTF_8);
        byte[] snapshotBytes = ("snapshot of " + id).getBytes(StandardCharsets.UTF_8);
        put(checkpoint, checkpointBytes);
        put(snapshot, snapshotBytes);

        for (var object : List.of(java.util.Map.entry(checkpoint, checkpointBytes),
                java.util.Map.entry(snapshot, snapshotBytes))) {
            JsonPath link = given().queryParam("key", object.getKey()).get("/api/v1/runs/" + id + "/downloads")
                    .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
            Instant expiresAt = Instant.parse(link.getString("expiresAt"));
            assertThat(expiresAt).isAfter(Instant.now()).isBefore(Instant.now().plusSeconds(301));
            String url = link.getString("url");
            assertThat(url).contains("X-Amz-Signature=").contains(object.getKey().substring(0, 10));
            // a plain GET of the URL, no token, no S3 credentials: as a browser follows the link
            HttpResponse<byte[]> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(got.statusCode()).as("GET %s", url).isEqualTo(200);
            assertThat(got.body()).isEqualTo(object.getValue());

            // the URL is for that object only: another key with the same signature is refused by the store
            HttpResponse<byte[]> tampered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url.replace(object.getKey().substring(object.getKey().lastIndexOf('/') + 1), "x.npy")))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(tampered.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void keysOutsideTheRunsCheckpointsAndSnapshotsAreRefusedNamingKey() {
        String id = submit();
        String other = submit();
        for (String key : List.of(ObjectKeys.checkpoint(other, 1), ObjectKeys.latestCheckpoint(id).replace(
                "checkpoints/latest.json", "ended.json"), ObjectKeys.checkpoints(id) + "../../" + other
                + "/checkpoints/epoch-0001.ckpt", ObjectKeys.checkpoints(id), "datasets/mnist/train-images",
                ObjectKeys.checkpoints(id) + "%2e%2e/x", "")) {
            given().queryParam("key", key).get("/api/v1/runs/" + id + "/downloads")
                    .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("errors[0].field", equalTo("key"));
        }
        given().get("/api/v1/runs/" + id + "/downloads").then().statusCode(400)
                .body("errors[0].field", equalTo("key"));
    }

    @Test
    void anotherProjectsRunIsNotFoundAndNoTokenIsUnauthorized() {
        String vision = LocalStackResource.auth().token("vision-user", List.of(Claims.RESEARCHER), List.of("vision"));
        String theirs = given(vision).contentType(ContentType.JSON)
                .body("{\"project\": \"vision\", \"dataset\": \"mnist\", \"method\": \"fa\"}")
                .post("/api/v1/runs").then().statusCode(202).extract().path("id");
        given().queryParam("key", ObjectKeys.checkpoint(theirs, 1)).get("/api/v1/runs/" + theirs + "/downloads")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given(vision).queryParam("key", ObjectKeys.checkpoint(theirs, 1))
                .get("/api/v1/runs/" + theirs + "/downloads").then().statusCode(200);
        RestAssured.given().queryParam("key", ObjectKeys.checkpoint(theirs, 1))
                .get("/api/v1/runs/" + theirs + "/downloads").then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE);
    }

    private static String submit() {
        return given().contentType(ContentType.JSON).body("{\"dataset\": \"mnist\", \"method\": \"fa\"}")
                .post("/api/v1/runs").then().statusCode(202).extract().path("id");
    }

    private static void put(String key, byte[] bytes) throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(LocalStackResource.objectStoreEndpoint())
                .credentials(LocalStackResource.ACCESS_KEY, LocalStackResource.SECRET_KEY).build();
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        }
        s3.putObject(PutObjectArgs.builder().bucket(BUCKET).object(key)
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
    }
}
