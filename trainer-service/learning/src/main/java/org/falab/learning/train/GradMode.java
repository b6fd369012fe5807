package org.falab.learning.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch records a graph only inside a GradientCollector. Its grad mode is per thread and on by default; the engine
 * turns it off only on the thread that loads it, and a GradientCollector restores the mode it found, so on any other
 * thread it would stay on after the first backward pass and the optimiser's in-place updates of the parameters would
 * fail ("a leaf Variable that requires grad is being used in an in-place operation").
 */
final class GradMode {

    private GradMode() {
    }

    /** Off on the calling thread: the thread a run trains on. */
    static void offOnThisThread() {
        JniUtils.setGradMode(false);
    }
}
