package org.falab.learning.train;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event a training sends. */
final class RecordingListener implements TrainingListener {
    final List<TrainingStarted> starts = new ArrayList<>();
    final List<StepProgress> steps = new ArrayList<>();
    final List<ProbeSnapshot> probes = new ArrayList<>();
    final List<EpochSummary> epochs = new ArrayList<>();
    final List<CheckpointData> checkpoints = new ArrayList<>();

    @Override
    public void onStart(TrainingStarted started) {
        starts.add(started);
    }

    @Override
    public void onStep(StepProgress progress) {
        steps.add(progress);
    }

    @Override
    public void onProbe(ProbeSnapshot snapshot) {
        probes.add(snapshot);
    }

    @Override
    public void onEpoch(EpochSummary summary) {
        epochs.add(summary);
    }

    @Override
    public void onCheckpoint(CheckpointData checkpoint) {
        checkpoints.add(checkpoint);
    }

    List<Double> losses() {
        return steps.stream().map(StepProgress::trainLoss).toList();
    }
}
