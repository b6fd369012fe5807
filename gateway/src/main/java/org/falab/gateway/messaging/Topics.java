package org.falab.gateway.messaging;

/**
 * Kafka topics and the gateway's channel names. The topic of each channel is set in application.properties;
 * these constants are the one place the code names them.
 */
public final class Topics {

    /** RunRequested, key = run id. Written by the gateway, read by trainers and every gateway. */
    public static final String RUN_REQUESTS = "falab.run-requests";
    /** RunEvent, key = run id. Written by trainers. */
    public static final String RUN_EVENTS = "falab.run-events";
    /** SnapshotRecorded, key = run id. Written by trainers. */
    public static final String SNAPSHOTS = "falab.snapshots";
    /** AnalysisResult, key = run id. Written by the analysis service. */
    public static final String ANALYSIS_RESULTS = "falab.analysis-results";
    /** AlignmentResult, key = run id. Written by the analysis service. */
    public static final String ALIGNMENT_RESULTS = "falab.alignment-results";

    /** Outgoing channel to {@link #RUN_REQUESTS}. */
    public static final String CHANNEL_RUN_REQUESTS_OUT = "run-requests-out";
    /** Incoming channel reading all five topics from the beginning to rebuild the view of runs. */
    public static final String CHANNEL_REPLAY = "replay";

    private Topics() {
    }
}
