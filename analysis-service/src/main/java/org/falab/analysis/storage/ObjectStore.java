package org.falab.analysis.storage;

import java.io.IOException;
import java.io.InputStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;

import org.falab.analysis.config.AnalysisConfig;

/** Reads probe objects from the S3-compatible store with the MinIO client. Creates nothing. */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient client;
    private final long maxObjectBytes;

    public ObjectStore(AnalysisConfig config) {
        this.client = MinioClient.builder()
                .endpoint(config.storage().endpoint())
                .credentials(config.storage().accessKey(), config.storage().secretKey())
                .build();
        this.maxObjectBytes = config.analysis().maxObjectBytes();
    }

    /**
     * The whole object.
     *
     * @throws MissingObjectException when the bucket or the key does not exist, or the object is too large
     * @throws StorageException       when the store cannot be reached or answers with another error
     */
    public byte[] read(String bucket, String key) {
        try {
            long size = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size();
            if (size > maxObjectBytes) {
                throw new MissingObjectException("s3://" + bucket + "/" + key + " has " + size
                        + " bytes, more than falab.analysis.max-object-bytes=" + maxObjectBytes);
            }
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return in.readAllBytes();
            }
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NoSuchObject".equals(code)) {
                throw new MissingObjectException("s3://" + bucket + "/" + key + ": " + code, e);
            }
            throw new StorageException("reading s3://" + bucket + "/" + key + " failed: " + code, e);
        } catch (MinioException | IOException e) {
            throw new StorageException("reading s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether {@code bucket} exists; throws {@link StorageException} when the store cannot answer. */
    public boolean bucketExists(String bucket) {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (MinioException e) {
            throw new StorageException("bucket check of " + bucket + " failed: " + e.getMessage(), e);
        }
    }
}
