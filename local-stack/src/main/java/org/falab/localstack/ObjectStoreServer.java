package org.falab.localstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The S3 server as a process, for {@code ./falab up}: runs until SIGTERM.
 * <pre>FALAB_S3_ACCESS_KEY=... FALAB_S3_SECRET_KEY=... java -cp ... org.falab.localstack.ObjectStoreServer DATA_DIR HOST PORT</pre>
 * The credentials come from the environment, not the arguments: a command line is visible to every user of the
 * machine ({@code ps}, {@code /proc/PID/cmdline}), a process's environment only to its owner.
 * Prints {@code READY <endpoint>} once it accepts requests.
 */
public final class ObjectStoreServer {

    private ObjectStoreServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        String accessKey = System.getenv("FALAB_S3_ACCESS_KEY");
        String secretKey = System.getenv("FALAB_S3_SECRET_KEY");
        if (args.length != 3 || accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            System.err.println("usage: FALAB_S3_ACCESS_KEY=... FALAB_S3_SECRET_KEY=... ObjectStoreServer DATA_DIR HOST PORT");
            System.exit(2);
        }
        LocalObjectStore store = LocalObjectStore.start(Path.of(args[0]), args[1], Integer.parseInt(args[2]),
                accessKey, secretKey);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.close();
            stopped.countDown();
        }, "object-store-shutdown"));
        System.out.println("READY " + store.endpoint());
        stopped.await();
    }
}
