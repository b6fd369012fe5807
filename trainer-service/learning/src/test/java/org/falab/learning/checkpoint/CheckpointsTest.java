package org.falab.learning.checkpoint;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.falab.learning.data.DatasetSource;
import org.falab.learning.layers.Initializer;
import org.falab.learning.models.Mlp;
import org.falab.learning.optim.Optimizer;
import org.falab.learning.optim.Optimizers;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.train.CheckpointData;
import org.falab.learning.train.Training;
import org.falab.learning.train.TrainingListener;
import org.falab.contracts.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    private static final RunSpec SPEC = new RunSpec(Dataset.SYNTHETIC, Model.MLP, List.of(24, 12), LearningRule.FA, OptimizerKind.SGD, 1, 16, 0.05, 0.9,
            0.01, 9L, 48, 32, 100, 4);
    private static byte[] bytes;

    @BeforeAll
    static void train() throws Exception {
        bytes = trainAndKeepCheckpoint();
    }

    @Test
    void restoresNetworkFeedbackAndOptimizerState() throws Exception {
        Checkpoint c = Checkpoints.read(bytes);
        assertThat(c.manifest().format()).isEqualTo(CheckpointManifest.FORMAT);
        assertThat(c.manifest().epoch()).isEqualTo(1);
        assertThat(c.manifest().step()).isEqualTo(3);
        assertThat(c.manifest().optimizerUpdates()).isEqualTo(3);
        assertThat(c.manifest().engine()).startsWith("PyTorch");
        // where training stood: the end of the only epoch, its 3 steps' loss sum, the divergence detector's window
        assertThat(c.manifest().resume()).satisfies(r -> {
            assertThat(r.epoch()).isEqualTo(1);
            assertThat(r.stepInEpoch()).isEqualTo(3);
            assertThat(r.epochEnd()).isTrue();
            assertThat(r.epochLossSum()).isPositive();
            assertThat(r.divergence().seen()).isEqualTo(3);
            assertThat(r.divergence().recent()).hasSize(50);
        });
        assertThat(c.manifest().tensors()).filteredOn(t -> t.role().equals(TensorEntry.FEEDBACK))
                .extracting(TensorEntry::name).containsExactly("fc1.feedback", "fc2.feedback", "fc3.feedback");

        try (NDManager manager = NDManager.newBaseManager()) {
            org.falab.learning.models.Network mlp = Checkpoints.restoreNetwork(c, manager);
            assertThat(mlp.layers()).extracting(l -> l.name()).containsExactly("fc1", "fc2", "fc3");
            assertThat(mlp.layers().get(1).weight().toFloatArray()).isEqualTo(c.tensors().get("fc2.weight").toFloatArray());
            assertThat(mlp.layers().get(2).feedback().toFloatArray())
                    .isEqualTo(c.tensors().get("fc3.feedback").toFloatArray());

            // the saved B is the one drawn at initialisation: training never changed it
            Mlp fresh = Mlp.initialise(SPEC.method(), Mlp.widths(32, SPEC.hidden(), 10),
                    Initializer.XAVIER_UNIFORM, SPEC.seed(), manager, ai.djl.ndarray.types.DataType.FLOAT32);
            assertThat(fresh.layers().get(2).feedback().toFloatArray())
                    .isEqualTo(c.tensors().get("fc3.feedback").toFloatArray());
            assertThat(fresh.layers().get(2).weight().toFloatArray())
                    .isNotEqualTo(c.tensors().get("fc3.weight").toFloatArray());

            Optimizer sgd = Optimizers.create(SPEC, mlp.parameters());
            Checkpoints.restoreOptimizer(c, sgd);
            assertThat(sgd.updates()).isEqualTo(3);
            assertThat(sgd.state().get("fc1.weight.momentum").toFloatArray())
                    .isEqualTo(c.tensors().get("optimizer.fc1.weight.momentum").toFloatArray());
        }
    }

    @Test
    void numpyOpensTheCheckpointAsAnNpz(@TempDir Path dir) throws Exception {
        String python = Tools.requirePythonWithNumpy();
        Path file = dir.resolve("epoch-0001.ckpt");
        Files.write(file, bytes);
        String script = "import numpy as np, json, sys\n"
                + "z = np.load(sys.argv[1])\n"
                + "assert z['fc1.weight'].shape == (24, 32) and z['fc1.weight'].dtype == np.float32\n"
                + "assert z['fc1.feedback'].shape == (24, 32) and z['fc3.bias'].shape == (10,)\n"
                + "assert z['optimizer.fc2.weight.momentum'].shape == (12, 24)\n"
                + "m = json.loads(__import__('zipfile').ZipFile(sys.argv[1]).read('manifest.json'))\n"
                + "assert m['spec']['method'] == 'fa' and m['step'] == 3\n"
                + "assert m['format'] == 'falab-checkpoint/2' and m['resume']['stepInEpoch'] == 3\n"
                + "print('ok')\n";
        Process p = new ProcessBuilder(python, "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.strip()).isEqualTo("ok");
    }

    private static byte[] trainAndKeepCheckpoint() throws Exception {
        byte[][] last = new byte[1][];
        Training.train(SPEC, DatasetSource.directory(Path.of("/nonexistent")), new TrainingListener() {
            @Override
            public void onCheckpoint(CheckpointData checkpoint) {
                last[0] = checkpoint.bytes();
            }
        });
        return last[0];
    }

}
