package org.falab.contracts.events;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Topic {@link Topics#SNAPSHOTS}, key = runId ({@code docs/events/snapshot-recorded.schema.json}): the probe
 * matrices of one probe step are in the object store, as {@code .npy} files ({@code org.falab.contracts.npy}).
 */
public record SnapshotRecorded(
        @JsonProperty(required = true) @NotBlank(message = "is required and must not be blank") String runId,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") long step,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") int epoch,
        @JsonProperty(required = true) @NotNull(message = "is required") Instant time,
        @JsonProperty(required = true) @NotBlank(message = "is required and must not be blank") String bucket,
        @JsonProperty(required = true) @NotEmpty(message = "must hold at least one signal")
        List<@NotNull(message = "must not be null") @Valid Signal> signals) {

    /** Each (layerIndex, quantity) at most once: a second matrix for the same pair would be ambiguous. */
    public SnapshotRecorded {
        signals = signals == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(signals));
        if (signals != null && signals.stream().filter(s -> s != null)
                .map(s -> s.layerIndex() + "/" + s.quantity()).distinct().count()
                != signals.stream().filter(s -> s != null).count()) {
            throw new IllegalArgumentException("signals must hold each (layerIndex, quantity) at most once");
        }
    }

    /**
     * One probe matrix: a {@code .npy} file at {@code key} in the event's bucket.
     *
     * @param layer  layer name, e.g. fc1
     * @param layout what a row is: {@code examples x features}, {@code positions x channels} ((N*H*W) x C),
     *               {@code examples x channels*height*width}, {@code out x in} ...
     */
    public record Signal(
            @JsonProperty(required = true) @NotNull(message = "is required") String layer,
            @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") int layerIndex,
            @JsonProperty(required = true) @NotNull(message = "is required")
            @Pattern(regexp = Quantities.ALL_PATTERN, message = "must be one of " + Quantities.ALL_TEXT)
            String quantity,
            @JsonProperty(required = true) @NotBlank(message = "is required and must not be blank") String key,
            @JsonProperty(required = true) @Min(value = 1, message = "must be at least 1") int rows,
            @JsonProperty(required = true) @Min(value = 1, message = "must be at least 1") int cols,
            @JsonProperty(required = true) @NotNull(message = "is required") String layout) {
    }
}
