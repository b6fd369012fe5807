package org.falab.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.Checksum;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;

/**
 * The object store through the MinIO client: writes into the configured run bucket, reads from any bucket. Errors
 * come out as {@link MissingObjectException} (not there: a bad reference) or {@link ObjectStoreException} (the store
 * failed: try again later), each naming the {@code s3://bucket/key}.
 */
public class ObjectStore {

    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");

    private final MinioClient client;
    /** Signs presigned URLs for the public endpoint; never connects (the region is given, so none is looked up). */
    private final MinioClient signer;
    private final String bucket;
    private final String endpoint;

    public ObjectStore(StorageConfig config) {
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
        this.signer = config.publicEndpoint().filter(e -> !e.isBlank()).map(e -> MinioClient.builder()
                .endpoint(e).credentials(config.accessKey(), config.secretKey()).region(config.region()).build())
                .orElse(client);
        this.bucket = config.bucket();
        this.endpoint = config.endpoint();
    }

    /**
     * A URL anyone holding it may GET the object of the run bucket with, for {@code expiry} (S3 signature V4 query
     * parameters, signed with this identity: it grants no more than the identity's policy). Computed locally.
     */
    public String presignedGet(String key, java.time.Duration expiry) {
        return call(() -> signer.getPresignedObjectUrl(io.minio.GetPresignedObjectUrlArgs.builder()
                .method(io.minio.Http.Method.GET).bucket(bucket).object(key)
                .expiry((int) expiry.toSeconds()).build()), "presign GET " + uri(bucket, key));
    }

    /** The run bucket ({@code falab.storage.bucket}). */
    public String bucket() {
        return bucket;
    }

    /** The endpoint URL, for health data and logs (never the credentials). */
    public String endpoint() {
        return endpoint;
    }

    /** Creates the run bucket when it is missing. */
    public void ensureBucket() {
        call(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            return null;
        }, "create bucket " + bucket);
    }

    /** Whether {@code name} exists; throws {@link ObjectStoreException} when the store cannot answer. */
    public boolean bucketExists(String name) {
        return call(() -> client.bucketExists(BucketExistsArgs.builder().bucket(name).build()),
                "check bucket " + name);
    }

    /**
     * Writes an object into the run bucket. The bytes go to the client as they are (a stream would be copied into its
     * part buffer first), with a CRC32 checksum: the JDK's, in hardware, where the client's default CRC32C is a
     * table-driven Java loop that took most of the snapshot writer's time.
     */
    public void put(String key, byte[] bytes, String contentType) {
        call(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .data(bytes, bytes.length).checksum(Checksum.Algorithm.CRC32)
                .contentType(contentType).build()), "put " + uri(bucket, key));
    }

    /**
     * Writes under a temporary key, then copies to the final key and removes the temporary one, so that a reader
     * never sees a half-written object under the final key.
     */
    public void putAtomically(String temporaryKey, String finalKey, byte[] bytes, String contentType) {
        put(temporaryKey, bytes, contentType);
        call(() -> client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(finalKey)
                .source(SourceObject.builder().bucket(bucket).object(temporaryKey).build()).build()),
                "copy " + uri(bucket, temporaryKey) + " to " + finalKey);
        call(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(temporaryKey).build());
            return null;
        }, "remove " + uri(bucket, temporaryKey));
    }

    /** Opens an object of the run bucket; a missing key is a {@link FileNotFoundException}. */
    public InputStream open(String key) throws FileNotFoundException {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (ErrorResponseException e) {
            if (MISSING.contains(e.errorResponse().code())) {
                throw new FileNotFoundException(uri(bucket, key));
            }
            throw new ObjectStoreException("get " + uri(bucket, key) + " failed: " + e.errorResponse().code(), e);
        } catch (Exception e) {
            throw new ObjectStoreException("get " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The whole object, at most {@code maxBytes} long.
     *
     * @throws MissingObjectException when the bucket or the key does not exist, or the object is larger
     * @throws ObjectStoreException   when the store cannot be reached or answers with another error
     */
    public byte[] read(String bucketName, String key, long maxBytes) {
        String where = uri(bucketName, key);
        try {
            long size = client.statObject(StatObjectArgs.builder().bucket(bucketName).object(key).build()).size();
            if (size > maxBytes) {
                throw new MissingObjectException(where + " has " + size + " bytes, more than the " + maxBytes
                        + " this service reads", null);
            }
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucketName).object(key).build())) {
                return in.readAllBytes();
            }
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (MISSING.contains(code)) {
                throw new MissingObjectException(where + ": " + code, e);
            }
            throw new ObjectStoreException("reading " + where + " failed: " + code, e);
        } catch (ObjectStoreException e) {
            throw e;
        } catch (IOException | io.minio.errors.MinioException | RuntimeException e) {
            // the MinIO client reports a refused connection as an IllegalStateException: the store failed
            throw new ObjectStoreException("reading " + where + " failed: " + e.getMessage(), e);
        }
    }

    /** The keys under {@code prefix} in the run bucket, in key order. */
    public List<String> list(String prefix) {
        return call(() -> {
            List<String> keys = new ArrayList<>();
            for (var item : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                keys.add(item.get().objectName());
            }
            keys.sort(null);
            return keys;
        }, "list " + uri(bucket, prefix));
    }

    /** Removes an object of the run bucket (no error when it is not there). */
    public void delete(String key) {
        call(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        }, "remove " + uri(bucket, key));
    }

    private static String uri(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static <T> T call(MinioCall<T> call, String what) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new ObjectStoreException("object store: " + what + " failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface MinioCall<T> {
        T run() throws Exception;
    }
}
