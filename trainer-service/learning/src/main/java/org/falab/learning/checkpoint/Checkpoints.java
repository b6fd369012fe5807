package org.falab.learning.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.falab.learning.data.DatasetSource;
import org.falab.learning.data.Datasets;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.data.Standardisation;
import org.falab.learning.convert.ModelBuilder;
import org.falab.contracts.npy.NpyArray;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.io.Npz;
import org.falab.learning.io.Tensors;
import org.falab.learning.layers.Parameter;
import org.falab.learning.models.Network;
import org.falab.learning.optim.Optimizer;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.train.Evaluation;

/**
 * Checkpoints as bytes: a ZIP laid out like NumPy's {@code .npz} holding one {@code .npy} per
 * tensor (parameters, frozen feedback matrices, batch-norm buffers, optimiser state under
 * {@value #OPTIMIZER_PREFIX}) and {@value #MANIFEST}. {@code numpy.load} opens it directly.
 */
public final class Checkpoints {

    /** Name of the manifest entry. */
    public static final String MANIFEST = "manifest.json";
    /** Prefix of optimiser state tensor names in the archive. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {}

    /**
     * Serialises the state of a run after a step: every tensor of the network (parameters, feedback matrices,
     * buffers), the optimiser's state and update count, and where training stood ({@code resume}).
     */
    public static byte[] write(RunSpec spec, int epoch, long step, String engine, Standardisation standardisation,
            int inputFeatures, Network network, Optimizer optimizer, ResumeState resume) throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        Map<String, String> roles = new LinkedHashMap<>();
        for (Parameter p : network.parameters()) {
            arrays.put(p.name(), p.array());
            roles.put(p.name(), TensorEntry.PARAMETER);
        }
        network.frozenTensors().forEach((name, a) -> {
            arrays.put(name, a);
            roles.put(name, TensorEntry.FEEDBACK);
        });
        network.buffers().forEach((name, a) -> {
            arrays.put(name, a);
            roles.put(name, TensorEntry.BUFFER);
        });
        optimizer.state().forEach((name, a) -> {
            arrays.put(OPTIMIZER_PREFIX + name, a);
            roles.put(OPTIMIZER_PREFIX + name, TensorEntry.OPTIMIZER_STATE);
        });

        List<TensorEntry> entries = new ArrayList<>();
        try (Npz.Writer zip = new Npz.Writer()) {
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                NDArray a = e.getValue();
                ByteArrayOutputStream npy = new ByteArrayOutputStream();
                Tensors.writeNpy(a, npy);
                zip.array(e.getKey(), npy.toByteArray());
                entries.add(new TensorEntry(e.getKey(), roles.get(e.getKey()),
                        Arrays.stream(Tensors.shape(a)).boxed().toList(),
                        a.getDataType() == DataType.FLOAT64 ? "<f8" : "<f4"));
            }
            DataType type = network.parameters().get(0).array().getDataType();
            CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT, spec, epoch, step,
                    spec.seed(), engine, type == DataType.FLOAT64 ? "float64" : "float32", inputFeatures,
                    standardisation.mean(), standardisation.std(), optimizer.name(), optimizer.updates(), entries,
                    java.util.Arrays.stream(standardisation.means()).boxed().toList(),
                    java.util.Arrays.stream(standardisation.stds()).boxed().toList(), resume);
            zip.entry(MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            return zip.toByteArray();
        }
    }

    /** Reads a checkpoint's manifest and arrays, of format {@value CheckpointManifest#FORMAT} or the first one. */
    public static Checkpoint read(byte[] bytes) throws IOException {
        Map<String, byte[]> entries = Npz.entries(bytes);
        byte[] manifest = entries.get(MANIFEST);
        if (manifest == null) {
            throw new IOException("checkpoint has no " + MANIFEST);
        }
        CheckpointManifest m = JSON.readValue(new String(manifest, StandardCharsets.UTF_8), CheckpointManifest.class);
        if (!CheckpointManifest.FORMAT.equals(m.format()) && !CheckpointManifest.FORMAT_1.equals(m.format())) {
            throw new IOException("unsupported checkpoint format " + m.format());
        }
        return new Checkpoint(m, Npz.arrays(entries));
    }

    /** Rebuilds the network (weights and feedback matrices) on the given manager. */
    public static Network restoreNetwork(Checkpoint checkpoint, NDManager manager) {
        CheckpointManifest m = checkpoint.manifest();
        DataType type = "float64".equals(m.dataType()) ? DataType.FLOAT64 : DataType.FLOAT32;
        return ModelBuilder.build(m.spec(), TensorFactory.restored(manager, type, checkpoint.tensors())).network();
    }

    /** Loads the optimiser state of a checkpoint into an optimiser built for the restored network. */
    public static void restoreOptimizer(Checkpoint checkpoint, Optimizer optimizer) {
        Map<String, NpyArray> state = new LinkedHashMap<>();
        checkpoint.tensors().forEach((name, a) -> {
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                state.put(name.substring(OPTIMIZER_PREFIX.length()), a);
            }
        });
        optimizer.restore(state, checkpoint.manifest().optimizerUpdates());
    }

    /**
     * Rebuilds the model from the checkpoint's spec and tensors and returns its accuracy on the
     * spec's test split, standardised with the statistics saved at training time.
     *
     * @throws UncheckedIOException if the checkpoint or the dataset cannot be read
     */
    public static double evaluate(byte[] checkpoint, DatasetSource source) {
        try {
            Checkpoint c = read(checkpoint);
            CheckpointManifest m = c.manifest();
            LabelledExamples test =
                    Datasets.loadTest(m.spec(), source, m.standardisation());
            try (NDManager manager = NDManager.newBaseManager()) {
                Network network = restoreNetwork(c, manager);
                DataType type = network.parameters().get(0).array().getDataType();
                return Evaluation.accuracy(network, test, manager, type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot evaluate checkpoint: " + e.getMessage(), e);
        }
    }
}
