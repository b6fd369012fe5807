package org.falab.trainer.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.learning.data.DatasetSource;
import org.falab.storage.ObjectStore;
import org.falab.trainer.config.TrainerConfig;

/**
 * Datasets for training: a local folder first (cheap, e.g. Debian's /usr/share/datasets), then the bucket's
 * {@code datasets/<dataset>/<file>} keys (how a cluster ships data to trainer pods).
 */
@ApplicationScoped
public class RunDatasetSource implements DatasetSource {

    private final Optional<DatasetSource> localFolder;
    private final ObjectStore objectStore;
    private final String objectPrefix;

    public RunDatasetSource(TrainerConfig config, ObjectStore objectStore) {
        this.localFolder = config.datasets().localDir().map(dir -> DatasetSource.directory(Path.of(dir)));
        this.objectStore = objectStore;
        this.objectPrefix = config.datasets().objectPrefix();
    }

    @Override
    public InputStream open(String dataset, String fileName) throws IOException {
        if (localFolder.isPresent()) {
            try {
                return localFolder.get().open(dataset, fileName);
            } catch (FileNotFoundException | java.nio.file.NoSuchFileException notThere) {
                // fall through to the object store
            }
        }
        return objectStore.open(objectPrefix + dataset + "/" + fileName);
    }
}
