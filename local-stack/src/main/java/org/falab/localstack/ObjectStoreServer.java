package org.falab.localstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The S3 server as a process, for {@code ./falab up}: runs until SIGTERM.
 * <pre>java -cp ... org.falab.localstack.ObjectStoreServer DATA_DIR HOST PORT ACCESS_KEY SECRET_KEY</pre>
 * Prints {@code READY <endpoint>} once it accepts requests.
 */
public final class ObjectStoreServer {

    private ObjectStoreServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: ObjectStoreServer DATA_DIR HOST PORT ACCESS_KEY SECRET_KEY");
            System.exit(2);
        }
        LocalObjectStore store = LocalObjectStore.start(Path.of(args[0]), args[1], Integer.parseInt(args[2]),
                args[3], args[4]);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.close();
            stopped.countDown();
        }, "object-store-shutdown"));
        System.out.println("READY " + store.endpoint());
        stopped.await();
    }
}
