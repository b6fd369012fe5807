package org.falab.analysis.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

import org.falab.storage.ObjectStore;
import org.falab.storage.StorageConfig;
import org.junit.jupiter.api.Test;

/**
 * What the shared ObjectStore really throws, classified: each case is a real HTTP exchange (or a real refused
 * connection) through the MinIO client, not a hand-made exception, so a change in how the client reports a failure
 * shows up here.
 */
class TransientStoreErrorsTest {

    @Test
    void aRefusedConnectionIsTransient() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Throwable error = readFrom("http://127.0.0.1:" + port);
        assertThat(error).isNotNull();
        assertThat(TransientStoreErrors.isTransient(error)).as("%s", error).isTrue();
    }

    @Test
    void a503SlowDownIsTransient() throws IOException {
        Throwable error = answering(503, "SlowDown", "Please reduce your request rate.");
        assertThat(TransientStoreErrors.isTransient(error)).as("%s", error).isTrue();
    }

    @Test
    void a500IsTransient() throws IOException {
        Throwable error = answering(500, "InternalError", "We encountered an internal error.");
        assertThat(TransientStoreErrors.isTransient(error)).as("%s", error).isTrue();
    }

    @Test
    void aMissingKeyIsPermanent() throws IOException {
        Throwable error = answering(404, "NoSuchKey", "The specified key does not exist.");
        assertThat(error).isInstanceOf(org.falab.storage.MissingObjectException.class);
        assertThat(TransientStoreErrors.isTransient(error)).isFalse();
    }

    @Test
    void aBadSnapshotIsPermanent() {
        assertThat(TransientStoreErrors.isTransient(new InvalidSnapshotException("3x4, the event says 4x4", null)))
                .isFalse();
        assertThat(TransientStoreErrors.isTransient(new IllegalArgumentException("bucket name"))).isFalse();
    }

    /** A real HTTP server that answers every request with this S3 error. */
    private static Throwable answering(int status, String code, String message) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                + message + "</Message><Resource>/falab/k</Resource><RequestId>1</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.getResponseHeaders().add("x-amz-error-code", code);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        try {
            return readFrom("http://127.0.0.1:" + server.getAddress().getPort());
        } finally {
            server.stop(0);
        }
    }

    private static Throwable readFrom(String endpoint) {
        ObjectStore store = new ObjectStore(new StorageConfig() {
            public String endpoint() {
                return endpoint;
            }

            public String accessKey() {
                return "falab-test";
            }

            public String secretKey() {
                return "falab-test-secret";
            }

            public String bucket() {
                return "falab";
            }

            public String region() {
                return "us-east-1";
            }

            public java.util.Optional<String> publicEndpoint() {
                return java.util.Optional.empty();
            }
        });
        Throwable error = catchThrowable(() -> store.read("falab", "k", 1024));
        assertThat(error).as("a read from " + endpoint + " fails").isNotNull();
        return error;
    }
}
