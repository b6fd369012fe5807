package org.falab.learning.train;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.checkpoint.Checkpoint;
import org.falab.learning.checkpoint.CheckpointManifest;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.checkpoint.ResumeState;
import org.falab.learning.data.DataSplits;
import org.falab.learning.data.Standardisation;

/**
 * A checkpoint a run resumes from, read and checked against the run before anything is built from it: a checkpoint
 * of another spec, of other data or of a step this run does not have would resume a different run.
 *
 * @param checkpoint its manifest and tensors
 * @param state where training stood
 */
record Resume(Checkpoint checkpoint, ResumeState state) {

    /** Steps taken before the checkpoint. */
    long step() {
        return checkpoint.manifest().step();
    }

    /**
     * Reads a checkpoint and checks that it can resume the spec's run.
     *
     * @throws TrainingFailedException if the bytes are no checkpoint, if it has no resume state (format 1) or if it
     *     is of another spec (naming the fields that differ)
     */
    static Resume read(byte[] bytes, RunSpec spec) throws TrainingFailedException {
        Checkpoint c;
        try {
            c = Checkpoints.read(bytes);
        } catch (IOException | RuntimeException e) {
            throw new TrainingFailedException("cannot read the checkpoint to resume from: " + e.getMessage(), e);
        }
        CheckpointManifest m = c.manifest();
        if (m.resume() == null) {
            throw new TrainingFailedException("cannot resume from a " + m.format() + " checkpoint: it has no resume "
                    + "state (written before " + CheckpointManifest.FORMAT + ")");
        }
        if (!"float32".equals(m.dataType())) {
            // a run trains in float32; restoring other values would round them
            throw new TrainingFailedException("cannot resume from a " + m.dataType() + " checkpoint: runs train in "
                    + "float32");
        }
        if (!spec.equals(m.spec())) {
            throw new TrainingFailedException("the checkpoint to resume from is of another run spec: "
                    + differences(m.spec(), spec));
        }
        return new Resume(c, m.resume());
    }

    /**
     * Checks that the checkpoint's step fits the run and that the run's data are those it was trained on.
     *
     * @throws TrainingFailedException otherwise
     */
    void checkFits(DataSplits data, int stepsPerEpoch, long totalSteps) throws TrainingFailedException {
        ResumeState r = state;
        boolean fits = r.epoch() >= 1 && r.stepInEpoch() >= 1 && r.stepInEpoch() <= stepsPerEpoch
                && (long) (r.epoch() - 1) * stepsPerEpoch + r.stepInEpoch() == step() && step() <= totalSteps
                && (!r.epochEnd() || r.stepInEpoch() == stepsPerEpoch);
        if (!fits) {
            throw new TrainingFailedException("the checkpoint's step " + step() + " (step " + r.stepInEpoch()
                    + " of epoch " + r.epoch() + ") does not fit this run of " + stepsPerEpoch + " steps per epoch, "
                    + totalSteps + " in all");
        }
        // the same spec reads the same files, unless they changed under it: their statistics would tell
        Standardisation saved = checkpoint.manifest().standardisation();
        Standardisation now = data.standardisation();
        if (checkpoint.manifest().inputFeatures() != data.train().featureCount()
                || !Arrays.equals(saved.means(), now.means()) || !Arrays.equals(saved.stds(), now.stds())) {
            throw new TrainingFailedException("the training data differ from those the checkpoint was trained on "
                    + "(input means " + Arrays.toString(saved.means()) + " in the checkpoint, "
                    + Arrays.toString(now.means()) + " now)");
        }
    }

    /** The fields in which two specs differ, with both values. */
    static String differences(RunSpec saved, RunSpec here) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : RunSpec.class.getRecordComponents()) {
            try {
                Object a = c.getAccessor().invoke(saved);
                Object b = c.getAccessor().invoke(here);
                if (!Objects.equals(a, b)) {
                    out.add(c.getName() + " " + a + " in the checkpoint, " + b + " here");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read RunSpec." + c.getName(), e);
            }
        }
        return String.join("; ", out);
    }
}
