package org.falab.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource for a test without the local stack (a gateway with no broker, say): only this run's
 * {@link LocalAuth} key pair, its public key handed to the application. {@link LocalStackResource} does the same
 * with the broker and the S3 server.
 */
public class LocalAuthResource implements QuarkusTestResourceLifecycleManager {

    private static volatile LocalAuth auth;
    private Path keyDir;

    @Override
    public Map<String, String> start() {
        try {
            keyDir = Files.createTempDirectory("falab-keys-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        auth = LocalAuth.start(keyDir);
        return auth.config();
    }

    @Override
    public void stop() {
        auth = null;
        TempFolders.deleteQuietly(keyDir);
    }

    /** The tokens the application under test accepts; null when this resource is not started. */
    public static LocalAuth auth() {
        return auth;
    }
}
