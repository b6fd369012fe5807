package org.falab.analysis.service;

import java.util.List;

import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;

/** What one snapshot yields: one rank result per ranked signal, one alignment result per layer with a pair. */
public record SnapshotAnalysis(List<AnalysisResult> ranks, List<AlignmentResult> alignments) {

    public SnapshotAnalysis {
        ranks = List.copyOf(ranks);
        alignments = List.copyOf(alignments);
    }
}
