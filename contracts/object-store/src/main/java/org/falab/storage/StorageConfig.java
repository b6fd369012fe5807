package org.falab.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The S3-compatible object store (MinIO, S3Proxy, AWS) of the trainer and the analysis service, prefix
 * {@code falab.storage}; every key has an environment override ({@code FALAB_STORAGE_ENDPOINT}, ...).
 */
@ConfigMapping(prefix = "falab.storage")
public interface StorageConfig {

    /** S3 endpoint URL, e.g. {@code http://127.0.0.1:9000} or {@code http://minio:9000}. */
    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    /** Access key id. */
    @WithDefault("falab")
    String accessKey();

    /**
     * Secret access key; no default, so a deployment that forgets it fails at start instead of using a well-known
     * one. From the environment ({@code FALAB_STORAGE_SECRET_KEY}: a Kubernetes Secret, {@code ./falab up}) or a
     * config file, never a command-line argument (docs/security.md).
     */
    String secretKey();

    /**
     * The run bucket: the trainer writes checkpoints and snapshots there (and creates it when missing), readiness
     * checks it; the analysis service reads the bucket each snapshot event names.
     */
    @WithDefault("falab")
    String bucket();

    /** Region sent with signed requests. */
    @WithDefault("us-east-1")
    String region();

    /**
     * The endpoint as users' browsers reach it, for presigned download URLs (the gateway's), when it differs from
     * {@link #endpoint()} (e.g. {@code https://s3.example.org} outside, {@code http://minio:9000} inside the
     * cluster); a presigned URL is signed for its host, so it must be the one the browser calls.
     */
    java.util.Optional<String> publicEndpoint();
}
