package org.falab.gateway.mapping;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.contracts.events.AnalysisResult;
import org.falab.gateway.registry.Run;
import org.falab.gateway.rest.RunAccepted;
import org.falab.gateway.rest.RunResponse;
import org.falab.gateway.rest.RunSummary;

/** Registry views to API answers. */
@ApplicationScoped
public class RunMapper {

    /** The answer to a submission: as it was accepted (QUEUED), or for a retry the run as it is now. */
    public RunAccepted toAccepted(Run run) {
        return new RunAccepted(run.id(), run.state(), run.submittedAt(), run.spec());
    }

    public RunResponse toResponse(Run run) {
        return new RunResponse(run.id(), run.state(), run.reason(), run.spec(), run.submittedAt(), run.updatedAt(),
                run.startedAt(), run.finishedAt(), run.progress(), run.metrics(), run.checkpoints(),
                run.snapshots().stream().map(RunMapper::toView).toList(),
                toAnalysis(run), run.warnings(), toAlignment(run), run.sweepId(), run.cell(), run.attempt(),
                run.resumedFromStep(), run.lastHeartbeatAt(), run.stalledSince(), run.cancelRequestedAt(),
                run.owner(), run.project(), run.attempts());
    }

    public RunSummary toSummary(Run run) {
        return new RunSummary(run.id(), run.state(),
                run.spec() == null ? null : run.spec().dataset(),
                run.spec() == null ? null : run.spec().method(),
                run.spec() == null ? null : run.spec().optimizer(),
                run.spec() == null ? null : run.spec().norm(),
                run.spec() == null ? null : run.spec().model(),
                run.sweepId(),
                run.submittedAt(), run.updatedAt(), run.progress(), run.metrics().testAccuracy(), run.owner(),
                run.project());
    }

    public List<RunResponse.AnalysisView> toAnalysis(Run run) {
        return run.analysis().stream().map(RunMapper::toView).toList();
    }

    public List<RunResponse.AlignmentView> toAlignment(Run run) {
        return run.alignment().stream().map(a -> new RunResponse.AlignmentView(a.step(), a.epoch(), a.layer(),
                a.layerIndex(), a.errorSignalAngleToBp(), a.weightFeedbackAngle(), a.feedbackToWeightNormRatio(),
                a.time())).toList();
    }

    private static RunResponse.SnapshotView toView(Run.Snapshot s) {
        return new RunResponse.SnapshotView(s.step(), s.epoch(), s.time(), s.bucket(), s.keys());
    }

    private static RunResponse.AnalysisView toView(AnalysisResult a) {
        return new RunResponse.AnalysisView(a.step(), a.epoch(), a.layer(), a.layerIndex(), a.quantity(),
                a.effectiveRank(), a.singularValueCount(), a.rows(), a.cols(), a.nearZeroRows(), a.time());
    }
}
