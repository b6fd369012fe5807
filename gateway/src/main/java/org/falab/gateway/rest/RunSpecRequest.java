package org.falab.gateway.rest;

import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/runs}. Only {@code dataset} and {@code method} are required; a missing (or null)
 * field takes the default in {@link org.falab.gateway.RunSpec}. Bounds are those of
 * docs/events/run-spec.schema.json. Unknown fields and wrong JSON types are rejected by Jackson before these
 * constraints run.
 */
@Schema(name = "RunSpecRequest", description = "A run to train; defaults fill in every field but dataset and method")
public record RunSpecRequest(
        @Schema(required = true, enumeration = {"fashion-mnist", "mnist", "cifar10", "cifar100", "synthetic"})
        @NotNull(message = "is required") @Pattern(regexp = "fashion-mnist|mnist|cifar10|cifar100|synthetic",
                message = "must be one of fashion-mnist, mnist, cifar10, cifar100, synthetic") String dataset,

        @Schema(enumeration = {"mlp", "cnn", "resnet18", "resnet20"}, defaultValue = "mlp")
        @Pattern(regexp = "mlp|cnn|resnet18|resnet20", message = "must be one of mlp, cnn, resnet18, resnet20")
        String model,

        @Schema(description = "hidden layer widths", defaultValue = "[256, 256]")
        @Size(min = 1, max = 32, message = "must have between 1 and 32 layers")
        List<@NotNull(message = "must be a width") @Min(value = 1, message = "must be at least 1")
                @Max(value = 16384, message = "must be at most 16384") Integer> hidden,

        @Schema(required = true, enumeration = {"bp", "fa", "dfa", "usf", "brsf", "frsf"})
        @NotNull(message = "is required") @Pattern(regexp = "bp|fa|dfa|usf|brsf|frsf",
                message = "must be one of bp, fa, dfa, usf, brsf, frsf") String method,

        @Schema(enumeration = {"sgd", "adamw", "muon"}, defaultValue = "sgd")
        @Pattern(regexp = "sgd|adamw|muon", message = "must be one of sgd, adamw, muon") String optimizer,

        @Schema(defaultValue = "3")
        @Min(value = 1, message = "must be at least 1") @Max(value = 1000, message = "must be at most 1000")
        Integer epochs,

        @Schema(defaultValue = "128")
        @Min(value = 1, message = "must be at least 1") @Max(value = 65536, message = "must be at most 65536")
        Integer batchSize,

        @Schema(defaultValue = "0.01")
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0")
        @DecimalMax(value = "10", message = "must be at most 10") Double learningRate,

        @Schema(defaultValue = "0.9")
        @DecimalMin(value = "0", message = "must be at least 0")
        @DecimalMax(value = "1", inclusive = false, message = "must be less than 1") Double momentum,

        @Schema(defaultValue = "0")
        @DecimalMin(value = "0", message = "must be at least 0")
        @DecimalMax(value = "1", message = "must be at most 1") Double weightDecay,

        @Schema(defaultValue = "42")
        @Min(value = 0, message = "must be at least 0") Long seed,

        @Schema(description = "use only the first N training examples", nullable = true)
        @Min(value = 1, message = "must be at least 1") @Max(value = 100_000_000, message = "must be at most 100000000")
        Integer trainSubset,

        @Schema(description = "use only the first N test examples", nullable = true)
        @Min(value = 1, message = "must be at least 1") @Max(value = 100_000_000, message = "must be at most 100000000")
        Integer testSubset,

        @Schema(description = "training steps between error-signal probes", defaultValue = "100")
        @Min(value = 1, message = "must be at least 1") @Max(value = 100_000_000, message = "must be at most 100000000")
        Integer probeEvery,

        @Schema(description = "examples per probe", defaultValue = "256")
        @Min(value = 1, message = "must be at least 1") @Max(value = 4096, message = "must be at most 4096")
        Integer probeSize,

        @Schema(description = "cnn only: output channels of each 3x3 conv block (conv, norm, ReLU, 2x2 max-pool)",
                defaultValue = "[32, 64]")
        @Size(min = 1, max = 16, message = "must have between 1 and 16 blocks")
        List<@NotNull(message = "must be a channel count") @Min(value = 1, message = "must be at least 1")
                @Max(value = 4096, message = "must be at most 4096") Integer> channels,

        @Schema(enumeration = {"xavier", "kaiming"}, defaultValue = "xavier")
        @Pattern(regexp = "xavier|kaiming", message = "must be one of xavier, kaiming") String feedbackInit,

        @Schema(description = "sgd: Nesterov momentum", defaultValue = "false")
        Boolean nesterov,

        @Schema(description = "muon: learning rate of the AdamW group", defaultValue = "0.0003")
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0")
        @DecimalMax(value = "10", message = "must be at most 10") Double adamwLearningRate,

        @Schema(enumeration = {"none", "batch", "layer"}, defaultValue = "none")
        @Pattern(regexp = "none|batch|layer", message = "must be one of none, batch, layer") String norm,

        @Schema(enumeration = {"constant", "cosine", "steps"}, defaultValue = "constant")
        @Pattern(regexp = "constant|cosine|steps", message = "must be one of constant, cosine, steps")
        String schedule,

        @Schema(description = "steps schedule: epochs after which the rates are multiplied by scheduleGamma",
                defaultValue = "[]")
        @Size(max = 16, message = "must have at most 16 milestones")
        List<@NotNull(message = "must be an epoch") @Min(value = 1, message = "must be at least 1") Integer>
                scheduleMilestones,

        @Schema(defaultValue = "0.1")
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0")
        @DecimalMax(value = "1", message = "must be at most 1") Double scheduleGamma,

        @Schema(description = "cifar: random crop and horizontal flip", defaultValue = "true")
        Boolean augment,

        @Schema(enumeration = {"positions", "examples"}, defaultValue = "positions")
        @Pattern(regexp = "positions|examples", message = "must be one of positions, examples") String probeLayout) {
}
