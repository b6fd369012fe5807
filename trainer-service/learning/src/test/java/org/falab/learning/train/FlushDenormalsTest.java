package org.falab.learning.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

import org.falab.contracts.spec.RunSpec;
import org.falab.learning.data.DatasetSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subnormal floats read as zero on a run's thread and on the engine's worker threads. Each case runs on a fresh
 * thread: the mode belongs to a thread and stays with it. A subnormal input times 1e30 is 1e-10 when the engine reads
 * it as it is and 0 when it reads it as zero, so each result tells which.
 */
class FlushDenormalsTest {

    /** Below the smallest normal float, 1.18e-38. */
    static final float SUBNORMAL = 1e-40f;

    @BeforeAll
    static void onX86() {
        // the mode is an x86 one (MXCSR); elsewhere the call says it did not take effect
        assumeTrue(List.of("amd64", "x86_64").contains(System.getProperty("os.arch")));
    }

    @Test
    void aThreadThatFlushesReadsSubnormalsAsZeroAndOneThatDoesNotReadsThemAsTheyAre() throws Exception {
        float[] flushed = onAFreshThread(() -> {
            assertThat(FlushDenormals.onThisThread()).isTrue();
            return scaledUp(1);
        });
        float[] kept = onAFreshThread(() -> scaledUp(1));
        assertThat(flushed).containsOnly(0f);
        assertThat(kept[0]).isCloseTo(1e-10f, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void aRunFlushesOnItsThreadUnlessItsOptionsSayNot() throws Exception {
        RunSpec spec = Specs.synthetic("fa", "sgd", 1, 0.05);
        RecordingListener flushing = new RecordingListener();
        float[] afterAFlushingRun = onAFreshThread(() -> {
            Training.train(spec, DatasetSource.directory(Path.of("/nonexistent")), flushing,
                    TrainingOptions.defaults("cpu"));
            return scaledUp(1);
        });
        RecordingListener keeping = new RecordingListener();
        float[] afterAKeepingRun = onAFreshThread(() -> {
            Training.train(spec, DatasetSource.directory(Path.of("/nonexistent")), keeping,
                    TrainingOptions.defaults("cpu").flushingDenormals(false));
            return scaledUp(1);
        });
        assertThat(flushing.starts).singleElement().extracting(TrainingStarted::subnormalsFlushed).isEqualTo(true);
        assertThat(afterAFlushingRun).containsOnly(0f);
        assertThat(keeping.starts).singleElement().extracting(TrainingStarted::subnormalsFlushed).isEqualTo(false);
        assertThat(afterAKeepingRun[0]).isGreaterThan(0f);
    }

    /**
     * With two engine threads a 512 x 512 product is split between the calling thread and a worker: every entry is
     * zero only if the worker reads subnormals as zero too. Its own JVM, with two engine threads (this module's tests
     * run with one).
     */
    @Test
    void theEngineWorkersOfAThreadThatFlushedFirstReadSubnormalsAsZeroToo() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=2", WorkerCheck.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("threads 2", "not flushed: 262144 of 262144 non-zero",
                "flushed first: 0 of 262144 non-zero");
    }

    /** In the child JVM: the non-zero entries of a subnormal matrix times 1e30 I, on a thread without and with. */
    public static final class WorkerCheck {

        public static void main(String[] args) throws Exception {
            Engine.getInstance();
            System.out.println("threads " + JniUtils.getNumThreads());
            System.out.println("not flushed: " + onAFreshThread(() -> nonZero(product(512))) + " of 262144 non-zero");
            System.out.println("flushed first: " + onAFreshThread(() -> {
                FlushDenormals.onThisThread();
                return nonZero(product(512));
            }) + " of 262144 non-zero");
        }

        /** A matrix of subnormals times 1e30 I. */
        private static float[] product(int n) {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                return manager.full(new Shape(n, n), SUBNORMAL).matMul(manager.eye(n).mul(1e30f)).toFloatArray();
            }
        }

        /** By the bits: on a thread that flushes, Java's own comparisons read subnormals as zero as well. */
        private static long nonZero(float[] values) {
            long n = 0;
            for (float v : values) {
                n += Float.floatToRawIntBits(v) != 0 ? 1 : 0;
            }
            return n;
        }
    }

    /** {@code count} subnormals, each multiplied by 1e30 in the engine. */
    static float[] scaledUp(int count) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            return manager.full(new Shape(count), SUBNORMAL).mul(1e30f).toFloatArray();
        }
    }

    static <T> T onAFreshThread(Callable<T> work) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(work).get(2, TimeUnit.MINUTES);
        } finally {
            thread.shutdown();
        }
    }
}
