package org.falab.learning.checkpoint;

import java.util.Map;
import org.falab.contracts.npy.NpyArray;

/**
 * A checkpoint read back: its manifest and its arrays by name.
 *
 * @param manifest what was saved and when
 * @param tensors arrays by name; optimiser state under {@link Checkpoints#OPTIMIZER_PREFIX}
 */
public record Checkpoint(CheckpointManifest manifest, Map<String, NpyArray> tensors) {}
