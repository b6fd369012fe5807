package org.falab.learning.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where dataset files come from: a local folder, an object store, test resources. Implementations
 * only open bytes; parsing and caching are the caller's job.
 */
@FunctionalInterface
public interface DatasetSource {

    /**
     * Opens one file of a dataset, e.g. {@code open("fashion-mnist", "train-images-idx3-ubyte.gz")}.
     *
     * @throws FileNotFoundException if the source has no such file (callers try alternative names)
     * @throws IOException on any other failure
     */
    InputStream open(String dataset, String fileName) throws IOException;

    /**
     * Files under a folder: {@code root/<dataset>/<file>}, or else {@code root/<file>} so that a
     * folder holding one dataset's files flat (Debian's {@code /usr/share/datasets/fashion-mnist/})
     * works as the root too.
     */
    static DatasetSource directory(Path root) {
        return (dataset, fileName) -> {
            for (Path candidate : new Path[] {root.resolve(dataset).resolve(fileName), root.resolve(fileName)}) {
                if (Files.isRegularFile(candidate)) {
                    return Files.newInputStream(candidate);
                }
            }
            throw new FileNotFoundException(
                    fileName + " of " + dataset + " is neither in " + root.resolve(dataset) + " nor in " + root);
        };
    }
}
