package org.falab.contracts.events;

/**
 * The Kafka topics of falab: every value is UTF-8 JSON of one of this package's records, every key the run id, so
 * all records of a run stay ordered on one partition. Services bind their channels to these names in
 * application.properties; tests and tools use the constants.
 */
public final class Topics {

    /** {@link RunRequested}: written by the gateway, read by trainers and every gateway. */
    public static final String RUN_REQUESTS = "falab.run-requests";
    /** {@link RunCancellation}: runs someone asked to stop, written by the gateway, read by trainers and gateways. */
    public static final String RUN_CANCELLATIONS = "falab.run-cancellations";
    /** {@link RunEvent}: the life of a run, written by trainers. */
    public static final String RUN_EVENTS = "falab.run-events";
    /** {@link SnapshotRecorded}: probe matrices of one step are in the object store, written by trainers. */
    public static final String SNAPSHOTS = "falab.snapshots";
    /** {@link AnalysisResult}: one effective rank per (step, layer, quantity), written by the analysis service. */
    public static final String ANALYSIS_RESULTS = "falab.analysis-results";
    /** {@link AlignmentResult}: one per (step, layer) with a complete pair, written by the analysis service. */
    public static final String ALIGNMENT_RESULTS = "falab.alignment-results";
    /** Run requests a trainer could not read or train: the original record plus dead-letter-* headers. */
    public static final String RUN_REQUESTS_DLQ = RUN_REQUESTS + ".dlq";
    /** Snapshot records the analysis service could not analyse: the original record plus dead-letter-* headers. */
    public static final String SNAPSHOTS_DLQ = SNAPSHOTS + ".dlq";

    /** Every topic a gateway replays to rebuild its view of runs, in the order of a run's life. */
    public static final java.util.List<String> REPLAYED =
            java.util.List.of(RUN_REQUESTS, RUN_CANCELLATIONS, RUN_EVENTS, SNAPSHOTS, ANALYSIS_RESULTS,
                    ALIGNMENT_RESULTS);

    /** Every topic falab creates: the replayed ones and the dead-letter topics. */
    public static final java.util.List<String> ALL = java.util.List.of(RUN_REQUESTS, RUN_CANCELLATIONS, RUN_EVENTS,
            SNAPSHOTS, ANALYSIS_RESULTS, ALIGNMENT_RESULTS, RUN_REQUESTS_DLQ, SNAPSHOTS_DLQ);

    private Topics() {
    }
}
