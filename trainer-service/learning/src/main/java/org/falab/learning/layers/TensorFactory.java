package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.falab.contracts.npy.NpyArray;
import org.falab.learning.spec.Seeds;

/**
 * Creates a network's tensors on one manager in one type, either freshly drawn (each from its own
 * named stream {@code init/<tensor name>} of the seed, so W and B are independent) or restored by
 * name from saved values (a checkpoint).
 */
public final class TensorFactory {

    /** Draws the values of a named tensor from its stream. */
    @FunctionalInterface
    public interface Sampler {
        double[] sample(SplittableRandom rng);
    }

    private final NDManager manager;
    private final DataType type;
    private final long seed;
    private final Function<String, double[]> restored;

    private TensorFactory(NDManager manager, DataType type, long seed, Function<String, double[]> restored) {
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException("only float32 and float64 networks are supported, not " + type);
        }
        this.manager = manager;
        this.type = type;
        this.seed = seed;
        this.restored = restored;
    }

    /** Fresh tensors from the seed. */
    public static TensorFactory seeded(NDManager manager, DataType type, long seed) {
        return new TensorFactory(manager, type, seed, null);
    }

    /** Tensors restored by full name; a missing name is an error. */
    public static TensorFactory restored(NDManager manager, DataType type, Map<String, NpyArray> tensors) {
        return new TensorFactory(manager, type, 0, name -> {
            NpyArray a = tensors.get(name);
            if (a == null) {
                throw new IllegalArgumentException("missing tensor " + name);
            }
            return a.data();
        });
    }

    /** Tensors from a function of the full name (tests). */
    public static TensorFactory of(NDManager manager, DataType type, Function<String, double[]> values) {
        return new TensorFactory(manager, type, 0, values);
    }

    /** The manager every tensor lives on. */
    public NDManager manager() {
        return manager;
    }

    /** The element type. */
    public DataType type() {
        return type;
    }

    /** The named tensor: restored values if this factory restores, otherwise drawn by the sampler. */
    public NDArray create(String name, Shape shape, Sampler sampler) {
        double[] values = restored != null ? restored.apply(name) : sampler.sample(Seeds.stream(seed, "init/" + name));
        return fromValues(values, shape);
    }

    /** A tensor of the given values. */
    public NDArray fromValues(double[] values, Shape shape) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("expected " + shape.size() + " values for " + shape + ", got "
                    + values.length);
        }
        if (type == DataType.FLOAT64) {
            return manager.create(values, shape);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return manager.create(f, shape);
    }
}
