package org.falab.trainer.storage;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.trainer.config.TrainerConfig;

import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.SourceObject;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.errors.ErrorResponseException;

/** The run bucket in S3-compatible object storage, through the MinIO client. */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient client;
    private final String bucket;

    public ObjectStore(TrainerConfig config) {
        TrainerConfig.Storage storage = config.storage();
        this.client = MinioClient.builder()
                .endpoint(storage.endpoint())
                .credentials(storage.accessKey(), storage.secretKey())
                .region(storage.region())
                .build();
        this.bucket = storage.bucket();
    }

    public String bucket() {
        return bucket;
    }

    /** True when the bucket is reachable; creates it when missing. */
    public void ensureBucket() {
        call(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            return null;
        }, "create bucket " + bucket);
    }

    public boolean bucketExists() {
        return call(() -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()),
                "check bucket " + bucket);
    }

    public void put(String key, byte[] bytes, String contentType) {
        call(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                .contentType(contentType).build()), "put " + key);
    }

    /**
     * Writes under a temporary key, then copies to the final key and removes the temporary one, so that a reader
     * never sees a half-written object under the final key.
     */
    public void putAtomically(String temporaryKey, String finalKey, byte[] bytes, String contentType) {
        put(temporaryKey, bytes, contentType);
        call(() -> client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(finalKey)
                .source(SourceObject.builder().bucket(bucket).object(temporaryKey).build()).build()),
                "copy " + temporaryKey + " to " + finalKey);
        call(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(temporaryKey).build());
            return null;
        }, "remove " + temporaryKey);
    }

    /** Opens an object; a missing key is a {@link FileNotFoundException}. */
    public InputStream open(String key) throws FileNotFoundException {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                throw new FileNotFoundException("s3://" + bucket + "/" + key);
            }
            throw new ObjectStoreException("get " + key, e);
        } catch (Exception e) {
            throw new ObjectStoreException("get " + key, e);
        }
    }

    private static <T> T call(MinioCall<T> call, String what) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new ObjectStoreException(what, e);
        }
    }

    @FunctionalInterface
    private interface MinioCall<T> {
        T run() throws Exception;
    }
}
