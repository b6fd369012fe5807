package org.falab.learning.train;

/**
 * Why and how a run is to stop.
 *
 * @param reason for people and logs, e.g. {@code "cancelled by the user"}, {@code "trainer shutting down"}
 * @param checkpointFirst write a checkpoint of the step just taken (so the run can resume there) before stopping; a
 *     cancelled run need not, a run given back must
 */
public record StopRequest(String reason, boolean checkpointFirst) {}
