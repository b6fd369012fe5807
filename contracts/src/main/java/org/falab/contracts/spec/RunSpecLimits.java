package org.falab.contracts.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

import org.falab.contracts.json.FieldViolation;

/**
 * How large a run may be, in one place: each field's own bound (e.g. {@code hidden} widths up to 16384) still lets
 * their combination ask for more than a trainer can hold, e.g. {@code hidden: [16384, 16384]} is 268 million weights
 * (1 GiB in float32, three or four times that with gradients and optimiser state) and a probe of 4096 examples of a
 * 4096-channel conv on 32x32 images is a 17-billion-value matrix. Checked by {@link RunSpecRules} on every spec whose
 * network can be built, so the gateway answers 400 naming the field and the trainer refuses the same specs.
 *
 * <p>The limits admit every spec the platform's tests, its demo (mlp 784-256-256-10), the study's mlp
 * 784-1024-1024-1024-10 and resnet18 on CIFAR (11 million parameters, probes of up to 1024 examples) use.
 */
public final class RunSpecLimits {

    /**
     * Trainable values of a network at most (resnet18 on cifar100 has 11.2 million); also the most values dfa's
     * feedback matrices may hold together.
     */
    public static final long MAX_PARAMETERS = 50_000_000L;

    /**
     * Values of one probe matrix at most: 2^26 (256 MiB as float32), which is resnet18's first conv on 32x32 images
     * (64 x 32 x 32 values per example) with 1024 probe examples, or a 16384-wide layer with 4096.
     */
    public static final long MAX_PROBE_VALUES = 1L << 26;

    private RunSpecLimits() {
    }

    /**
     * The limits a spec exceeds, each naming the field to change: for too many parameters {@code hidden} (mlp; cnn
     * when its Linear layers hold most of them), {@code channels} (cnn when its convs do) or {@code model} (the
     * resnets, whose sizes are fixed), the same for dfa feedback matrices too large; for too large probe-batch
     * matrices {@code probeSize}.
     *
     * @throws IllegalArgumentException for a spec whose network cannot be built ({@link ModelSize#layers})
     */
    public static List<FieldViolation> check(RunSpec spec) {
        List<FieldViolation> errors = new ArrayList<>();
        List<ModelSize.Layer> layers = ModelSize.layers(spec);
        long parameters = layers.stream().mapToLong(ModelSize.Layer::parameters).sum();
        if (parameters > MAX_PARAMETERS) {
            errors.add(new FieldViolation(field(spec, layers, ModelSize.Layer::parameters), String.format(Locale.ROOT,
                    "model has %,d parameters; at most %,d", parameters, MAX_PARAMETERS)));
        }
        // DFA's B spans every output of a layer times the classes, which the parameters do not bound (fa's and
        // frsf's B have W's size, so the check above bounds them)
        long feedback = spec.method() == LearningRule.DFA ? ModelSize.keptFeedbackValues(spec) : 0;
        if (feedback > MAX_PARAMETERS) {
            errors.add(new FieldViolation(field(spec, layers, l -> ModelSize.feedbackValues(spec, l)),
                    String.format(Locale.ROOT, "dfa feedback matrices of %,d values (each layer's outputs x "
                            + "classes); at most %,d", feedback, MAX_PARAMETERS)));
        }
        long probe = ModelSize.largestProbeMatrix(spec);
        if (probe > MAX_PROBE_VALUES) {
            errors.add(new FieldViolation("probeSize", String.format(Locale.ROOT,
                    "probe matrices of up to %,d values (probe examples x a layer's input or output values per "
                            + "example); at most %,d", probe, MAX_PROBE_VALUES)));
        }
        return errors;
    }

    /** The field that sizes the layers holding most of some count: a cnn's convs or its Linear layers. */
    private static String field(RunSpec spec, List<ModelSize.Layer> layers, ToLongFunction<ModelSize.Layer> count) {
        return switch (spec.model()) {
            case MLP -> "hidden";
            case CNN -> {
                long conv = layers.stream().filter(ModelSize.Layer::conv).mapToLong(count).sum();
                long linear = layers.stream().filter(l -> !l.conv()).mapToLong(count).sum();
                yield conv > linear ? "channels" : "hidden";
            }
            case RESNET18, RESNET20 -> "model";
        };
    }
}
