package org.falab.learning.train;

import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;

import com.sun.jna.NativeLibrary;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A saturated run's error signals fill with subnormal floats (the wrong classes' softmax probabilities below 1e-38,
 * and their products through the layers), and an x86 core computes on those many times slower: a 128 x 256 by
 * 256 x 256 product took 18 times as long with 5% subnormal inputs, and a saturated run 9 times as long as with them
 * flushed (docs/BENCHMARKS.md). PyTorch scripts call {@code torch.set_flush_denormal(True)}; DJL has no such call, so
 * this calls the same libtorch function, {@code at::Context::setFlushDenormal}, through JNA.
 *
 * <p>It sets flush-to-zero and denormals-are-zero in the calling thread's MXCSR, and the engine's worker threads
 * compute with it too, but only if it is set before the thread's first engine operation: set later, the products came
 * out flushed and stayed as slow as before. Java arithmetic on the thread flushes as well (a subnormal compares equal
 * to zero there).
 */
final class FlushDenormals {

    private static final Logger LOG = LoggerFactory.getLogger(FlushDenormals.class);

    private FlushDenormals() {
    }

    /**
     * Flushes subnormals to zero on the calling thread (and the engine threads it starts from now on).
     *
     * @return whether it took effect: false where the CPU has no such mode (not x86) or the engine is not PyTorch
     */
    static boolean onThisThread() {
        Engine engine = Engine.getInstance();
        if (!engine.getEngineName().equals("PyTorch") || !engine.getVersion().matches("[2-9]\\..*")) {
            LOG.warn("subnormals are not flushed: {} {} is not PyTorch 2", engine.getEngineName(), engine.getVersion());
            return false;
        }
        try {
            Path library = Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu"));
            if (!Files.isRegularFile(library)) {
                LOG.warn("subnormals are not flushed: no {}", library);
                return false;
            }
            NativeLibrary torch = NativeLibrary.getInstance(library.toString());
            // static bool at::Context::setFlushDenormal(bool on) in PyTorch 2 (a member function before, with the same
            // symbol): true where the CPU supports it; a C++ bool is the low byte
            int supported = torch.getFunction("_ZN2at7Context16setFlushDenormalEb").invokeInt(new Object[] {(byte) 1});
            return (supported & 0xff) != 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.warn("subnormals are not flushed: {}", e.toString());
            return false;
        }
    }
}
