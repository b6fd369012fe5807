package org.falab.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * A real S3 HTTP server (S3Proxy) in this JVM, backed by a folder: buckets are sub-folders, objects files.
 * Speaks AWS Signature V2 and V4 with one access key, which is what the MinIO client needs.
 */
public final class LocalObjectStore implements AutoCloseable {

    private final S3Proxy proxy;
    private final String host;
    private final String accessKey;
    private final String secretKey;

    private LocalObjectStore(S3Proxy proxy, String host, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.host = host;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts a server on host:port (port 0 = a free one) that stores under dataDir.
     */
    public static LocalObjectStore start(Path dataDir, String host, int port, String accessKey, String secretKey) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        properties.setProperty("jclouds.identity", accessKey);
        properties.setProperty("jclouds.credential", secretKey);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem-nio2", properties))
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3 server did not start: state " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the S3 server", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the S3 server", e);
        }
        return new LocalObjectStore(proxy, host, accessKey, secretKey);
    }

    public String endpoint() {
        return "http://" + host + ":" + proxy.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the S3 server", e);
        }
    }
}
