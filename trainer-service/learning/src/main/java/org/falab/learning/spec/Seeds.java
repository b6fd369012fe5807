package org.falab.learning.spec;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Independent random streams derived from a run's seed and a purpose name ("init/fc1.weight",
 * "shuffle/epoch-3", ...). Deriving by name rather than drawing from one shared generator means
 * adding a layer or a probe never shifts the numbers any other consumer sees, and a resumed run
 * can recreate the shuffle of any epoch without saved generator state.
 */
public final class Seeds {

    private Seeds() {}

    /** A generator for the given purpose; equal arguments give equal sequences on every JVM. */
    public static SplittableRandom stream(long seed, String purpose) {
        long h = mix(seed);
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return new SplittableRandom(h);
    }

    /**
     * The seed the engine's own generator gets before step {@code step} (1-based) of a run: what the engine draws
     * in a step (brSF's feedback magnitudes) then depends on the seed and the step only, not on the steps before,
     * so a run resumed at any step draws what the run straight through drew.
     */
    public static int engineSeed(long seed, long step) {
        return stream(seed, "engine/step-" + step).nextInt();
    }

    /** A standard normal sample by Box-Muller, spelled out so it never depends on JDK internals. */
    public static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // in (0, 1], keeps log finite
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** A seeded Fisher-Yates permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    // SplitMix64 finaliser: a bijective avalanche mix of 64 bits
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
